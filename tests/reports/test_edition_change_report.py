"""The accountability report of a force's first period under a new edition says which requirements
are new in it."""

from django.template.loader import render_to_string

from core.roles import Role
from reports.context.accountability import accountability_prepare
from tests.capabilities.editions_support import publish_fixture_edition
from tests.factories import make_assessment


def test_first_period_under_a_new_edition_lists_the_new_requirements(spr2012, make_user, forces):
    staff = make_user(Role.PCC_STAFF, "dyfed-powys")
    new = publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))
    make_assessment(user=staff, force=forces["dyfed-powys"], edition=spr2012, period="2025/26")
    first = make_assessment(
        user=staff, force=forces["dyfed-powys"], edition=new, period="2026/27", start_from_previous=True
    )

    prepared = accountability_prepare(first)

    assert prepared.context["new_requirements"] == [
        {"ref": "6.7", "text": new.requirements.get(ref="6.7").text},
    ]
    html = render_to_string(prepared.template, prepared.context)
    assert "New since spr-2012" in html
    assert "1 requirement is new in it and was answered for the first time" in html


def test_a_later_period_lists_nothing_new(spr2012, make_user, forces):
    staff = make_user(Role.PCC_STAFF, "dyfed-powys")
    new = publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))
    make_assessment(user=staff, force=forces["dyfed-powys"], edition=new, period="2026/27")
    later = make_assessment(user=staff, force=forces["dyfed-powys"], edition=new, period="2027/28")

    assert accountability_prepare(later).context["new_requirements"] == []
    assert (
        accountability_prepare(
            make_assessment(user=staff, force=forces["dyfed-powys"], edition=spr2012, period="2025/26")
        ).context["new_requirements"]
        == []
    )
