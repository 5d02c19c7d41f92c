"""The accountability report of a force's first period under a new edition says which requirements
are new in it."""

from django.template.loader import render_to_string

from core.roles import Role
from reports.context.accountability import accountability_prepare
from tests.capabilities.editions_support import publish_fixture_edition
from tests.factories import make_assessment


def _dyfed_powys_people(make_user) -> dict:
    """Dyfed-Powys's staff, chief constable and PCC, who take an assessment through the workflow."""
    return {
        "staff": make_user(Role.PCC_STAFF, "dyfed-powys"),
        "chief": make_user(Role.CHIEF_CONSTABLE, "dyfed-powys"),
        "pcc": make_user(Role.PCC, "dyfed-powys"),
    }


def _after_a_skipped_edition(spr2012, make_user, forces):
    """Dyfed-Powys published 2026/27 against spr-2012 and starts 2027/28 against the second fixture
    edition, skipping the middle one: (the new draft, the second edition)."""
    from assessments.models import AssessmentStatus
    from tests.capabilities.editions_support import publish_second_fixture_edition
    from tests.workflow_support import assessment_in

    people = _dyfed_powys_people(make_user)
    admin = make_user(Role.NATIONAL_ADMIN)
    publish_fixture_edition(admin)
    second = publish_second_fixture_edition(admin)
    assessment_in(AssessmentStatus.PUBLISHED, force=forces["dyfed-powys"], edition=spr2012, period="2026/27", **people)
    now = make_assessment(user=people["staff"], force=forces["dyfed-powys"], edition=second, period="2027/28")
    return now, second


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
    assert "New since The Strategic Policing Requirement (July 2012)" in html
    assert "1 requirement is new since The Strategic Policing Requirement (July 2012) and was answered" in html


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


def test_change_since_last_year_goes_through_the_mapping(spr2012, make_user, forces):
    from assessments.models import AssessmentStatus
    from tests.workflow_support import assessment_in
    from threats.models import JudgementLevel

    people = _dyfed_powys_people(make_user)
    new = publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))
    # 2025/26 published against spr-2012, every requirement assured.
    assessment_in(AssessmentStatus.PUBLISHED, force=forces["dyfed-powys"], edition=spr2012, period="2025/26", **people)
    now = make_assessment(user=people["staff"], force=forces["dyfed-powys"], edition=new, period="2026/27")
    now.responses.update(judgement=JudgementLevel.objects.get(edition=new, code="assured"))
    now.responses.filter(requirement__ref__in=["3.1(a)", "4.1(a)"]).update(
        judgement=JudgementLevel.objects.get(edition=new, code="not_assured")
    )

    change = accountability_prepare(now).context["summary"]["change"]

    assert change["compared"] is True
    assert change["across"] == spr2012.title
    assert change["changes"] == 1
    # 3.1(a) means the same: compared, worse. 4.1(a) merged with a changed meaning: not compared.
    assert [row["ref"] for row in change["worse"]] == ["3.1(a)"]
    assert change["new"] >= 1
    html = render_to_string(accountability_prepare(now).template, accountability_prepare(now).context)
    assert "Edition change:" in html


def test_national_overview_says_which_forces_used_another_edition(spr2012, make_user, forces):
    from assessments.models import AssessmentStatus
    from reports.context.national import national_inputs, national_prepare
    from tests.workflow_support import assessment_in

    people = _dyfed_powys_people(make_user)
    new = publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))
    assessment_in(AssessmentStatus.PUBLISHED, force=forces["dyfed-powys"], edition=new, period="2026/27", **people)

    prepared = national_prepare(national_inputs(edition=spr2012, period="2026/27", region=None))

    assert prepared.context["other_editions"] == [(f"{new.title} (March 2026)", 1)]
    html = render_to_string(prepared.template, prepared.context)
    assert f"1 force published this period against {new.title} (March 2026)" in html


def test_change_since_last_year_goes_through_two_mappings(spr2012, make_user, forces):
    """Last year was two editions back (the force skipped the middle one): compared through both
    mappings, same meaning at every change only."""
    from threats.models import JudgementLevel

    now, second = _after_a_skipped_edition(spr2012, make_user, forces)
    now.responses.update(judgement=JudgementLevel.objects.get(edition=second, code="assured"))
    # 3.1(b): reworded at the second change, same meaning. 5.1(c): merged at the second change.
    now.responses.filter(requirement__ref__in=["3.1(b)", "5.1(c)"]).update(
        judgement=JudgementLevel.objects.get(edition=second, code="not_assured")
    )

    change = accountability_prepare(now).context["summary"]["change"]

    assert change["compared"] is True
    assert change["across"] == spr2012.title
    assert change["changes"] == 2
    assert [row["ref"] for row in change["worse"]] == ["3.1(b)"]


def test_the_report_after_a_skipped_edition_says_both_changes(spr2012, make_user, forces):
    """The force skipped the middle edition: the PDF's words say the comparison went through each
    mapping in turn, and list as new what came in at either change (6.7 at the first, 6.8 at the second)."""
    now, _second = _after_a_skipped_edition(spr2012, make_user, forces)

    prepared = accountability_prepare(now)

    assert [row["ref"] for row in prepared.context["new_requirements"]] == ["6.7", "6.8"]
    html = " ".join(render_to_string(prepared.template, prepared.context).split())
    assert "New since The Strategic Policing Requirement (July 2012)" in html
    assert "2 requirements are new since The Strategic Policing Requirement (July 2012) and were answered" in html
    assert "compared through each edition’s mapping in turn" in html
    assert "compared through this edition’s mapping" not in html
