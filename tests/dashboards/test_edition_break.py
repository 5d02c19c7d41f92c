"""The chief constable's dashboard across an edition change: the previous period (assessed against
the edition the current one follows) is compared through the mapping, for requirements that mean the
same, and the page marks the break. Queries stay constant."""

import pytest

from assessments.models import Response
from core.roles import Role
from dashboards import selectors
from tests.capabilities.editions_support import publish_fixture_edition
from tests.factories import make_assessment
from threats.models import JudgementLevel


@pytest.fixture
def chief(make_user):
    return make_user(Role.CHIEF_CONSTABLE, "dyfed-powys")


@pytest.fixture
def two_editions(spr2012, make_user, forces):
    """Dyfed-Powys: 2025/26 against spr-2012 all assured; 2026/27 against the fixture edition, all
    partially assured."""
    staff = make_user(Role.PCC_STAFF, "dyfed-powys")
    new = publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))
    force = forces["dyfed-powys"]
    before = make_assessment(user=staff, force=force, edition=spr2012, period="2025/26")
    after = make_assessment(user=staff, force=force, edition=new, period="2026/27")
    Response.objects.filter(assessment=before).update(
        judgement=JudgementLevel.objects.get(edition=spr2012, code="assured")
    )
    Response.objects.filter(assessment=after).update(
        judgement=JudgementLevel.objects.get(edition=new, code="partially_assured")
    )
    return before, after


def test_dashboard_compares_through_the_mapping_and_marks_the_break(two_editions, chief, forces):
    before, after = two_editions

    board = selectors.force_dashboard(user=chief, force=forces["dyfed-powys"])

    assert board.current == after
    assert board.previous == before
    assert [(b.earlier.code, b.later.code, b.first_period) for b in board.edition_breaks] == [
        ("spr-2012", "spr-fixture", "2026/27")
    ]
    changes = {cell.change.code for cell in board.cells if cell.cell.requirement_ids}
    assert "worse" in changes  # assured then, partially assured now, on requirements that mean the same
    assert board.trends.periods == ["2025/26", "2026/27"]
    terrorism = next(series for series in board.trends.by_threat if series.code == "terrorism")
    assert terrorism.values == [1.0, 0.0]


def test_dashboard_page_shows_the_edition_change(two_editions, chief, client, django_assert_max_num_queries):
    client.force_login(chief)
    client.get("/dashboard/")
    # The page's ceiling (tests/dashboards/test_queries.py), and the edition it follows and its mapping.
    with django_assert_max_num_queries(27):
        page = client.get("/dashboard/").content.decode()
    assert "Edition change" in page
    assert (
        "From 2026/27 assessments use Test edition derived from the 2012 Strategic Policing Requirement (March 2026); "
        "earlier periods used The Strategic Policing Requirement (July 2012)."
    ) in page
    assert "Worse: was assured" in page


def test_national_trends_cross_the_edition_change(two_editions, make_user, forces):
    admin = make_user(Role.NATIONAL_ADMIN)
    before, after = two_editions

    view = selectors.national_view(user=admin, edition=after.edition, period="2026/27")

    assert [(b.earlier.code, b.later.code, b.first_period) for b in view.edition_breaks] == [
        ("spr-2012", "spr-fixture", "2026/27")
    ]
    assert view.trends.periods == ["2025/26", "2026/27"]
    terrorism = next(series for series in view.trends.by_threat if series.code == "terrorism")
    assert terrorism.values == [1.0, 0.0]
    # The table itself holds only the edition chosen: no force assessed against another in its columns.
    assert [row.force.code for row in view.rows if row.assessment] == ["dyfed-powys"]


def test_national_page_marks_the_break_in_constant_queries(
    two_editions, make_user, forces, client, django_assert_max_num_queries
):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    url = "/national/?edition=spr-fixture&period=2026/27"
    client.get(url)
    # The page's ceiling (tests/dashboards/test_queries.py), and the edition it follows and its mapping.
    with django_assert_max_num_queries(33):
        page = client.get(url).content.decode()
    assert (
        "From 2026/27 assessments use Test edition derived from the 2012 Strategic Policing Requirement (March 2026); "
        "earlier periods used The Strategic Policing Requirement (July 2012)."
    ) in page


def test_national_page_says_who_was_assessed_against_another_edition(two_editions, make_user, client):
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    page = client.get("/national/?edition=spr-2012&period=2026/27").content.decode()
    assert (
        "1 force was assessed for 2026/27 against Test edition derived from the 2012 Strategic Policing "
        "Requirement (March 2026): choose that edition to see it." in page
    )
