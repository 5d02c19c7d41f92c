"""Dashboards across two edition changes (spr-2012 -> spr-fixture -> spr-fixture-2): the force
dashboard's change since last period and its trends, and the national trends, compare through both
mappings (same meaning at every change), mark both changes, say where a cell cannot be compared,
and the national view's queries do not grow with the editions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Response
from core.roles import Role
from dashboards import selectors
from tests.capabilities.editions_support import publish_fixture_edition, publish_second_fixture_edition
from tests.factories import make_assessment
from threats.models import JudgementLevel

FIRST = "Test edition derived from the 2012 Strategic Policing Requirement"
SECOND = "Second test edition, following the first test edition"


def _judge(assessment, code):
    Response.objects.filter(assessment=assessment).update(
        judgement=JudgementLevel.objects.get(edition=assessment.edition, code=code)
    )


@pytest.fixture
def chief(make_user):
    return make_user(Role.CHIEF_CONSTABLE, "dyfed-powys")


@pytest.fixture
def staff(make_user):
    return make_user(Role.PCC_STAFF, "dyfed-powys")


@pytest.fixture
def editions(spr2012, make_user):
    admin = make_user(Role.NATIONAL_ADMIN)
    first = publish_fixture_edition(admin)
    return spr2012, first, publish_second_fixture_edition(admin)


@pytest.fixture
def three_periods(editions, staff, forces):
    """Dyfed-Powys: 2025/26 against spr-2012 all assured; 2026/27 against the first fixture edition,
    all partially assured; 2027/28 against the second, all assured again."""
    force = forces["dyfed-powys"]
    made = []
    for edition, period, code in zip(
        editions, ["2025/26", "2026/27", "2027/28"], ["assured", "partially_assured", "assured"], strict=True
    ):
        assessment = make_assessment(user=staff, force=force, edition=edition, period=period)
        _judge(assessment, code)
        made.append(assessment)
    return made


def _breaks(found):
    return [(b.earlier.code, b.later.code, b.first_period) for b in found]


def test_force_dashboard_compares_through_both_mappings(three_periods, chief, forces):
    oldest, middle, latest = three_periods

    board = selectors.force_dashboard(user=chief, force=forces["dyfed-powys"])

    assert (board.current, board.previous) == (latest, middle)
    assert _breaks(board.edition_breaks) == [
        ("spr-2012", "spr-fixture", "2026/27"),
        ("spr-fixture", "spr-fixture-2", "2027/28"),
    ]
    assert board.trends.periods == ["2025/26", "2026/27", "2027/28"]
    terrorism = next(series for series in board.trends.by_threat if series.code == "terrorism")
    assert terrorism.values == [1.0, 0.0, 1.0]
    changes = {cell.change.code for cell in board.cells if cell.cell.requirement_ids}
    assert "better" in changes  # partially assured then, assured now, through the second mapping
    # Child sexual abuse came in at the first change: read from 2026/27 on, never from 2025/26.
    abuse = next(series for series in board.trends.by_threat if series.code == "child-sexual-abuse")
    assert abuse.values == [None, 0.0, 1.0]


def test_force_dashboard_page_marks_both_changes(three_periods, chief, client, django_assert_max_num_queries):
    client.force_login(chief)
    client.get("/dashboard/")
    # The same ceiling as across one change (tests/dashboards/test_edition_break.py).
    with django_assert_max_num_queries(27):
        page = client.get("/dashboard/").content.decode()
    assert "Edition changes" in page
    assert (
        f"From 2026/27 assessments use {FIRST} (March 2026); earlier periods used The Strategic Policing "
        "Requirement (July 2012)."
    ) in page
    assert f"From 2027/28 assessments use {SECOND} (March 2027); earlier periods used {FIRST} (March 2026)." in page
    assert "for requirements that mean the same at every change only; the others are not compared" in page
    assert "Better: was partially assured" in page


def test_force_dashboard_two_editions_back_says_what_it_cannot_compare(editions, staff, chief, forces):
    """A force that skipped the middle edition: its previous period is two editions back."""
    spr2012, _, second = editions
    force = forces["dyfed-powys"]
    before = make_assessment(user=staff, force=force, edition=spr2012, period="2026/27")
    now = make_assessment(user=staff, force=force, edition=second, period="2027/28")
    _judge(before, "assured")
    _judge(now, "partially_assured")

    board = selectors.force_dashboard(user=chief, force=force)

    assert (board.current, board.previous) == (now, before)
    assert _breaks(board.edition_breaks) == [("spr-2012", "spr-fixture-2", "2027/28")]
    by_cell = {(row.threat.code, cell.cell.area): cell.change for row in board.rows for cell in row.cells}
    # 3.1(a) means the same through both mappings: compared.
    assert by_cell[("terrorism", "capacity")].text == "Worse: was assured"
    # Only 6.7 (new at the first change) serves child sexual abuse in connectivity: nothing to compare.
    assert str(by_cell[("child-sexual-abuse", "connectivity")].text) == (
        "Not compared: new or changed in meaning at the edition change"
    )
    assert board.trends.periods == ["2026/27", "2027/28"]


def test_national_trends_cross_both_changes(three_periods, make_user):
    latest = three_periods[-1]

    view = selectors.national_view(user=make_user(Role.NATIONAL_ADMIN), edition=latest.edition, period="2027/28")

    assert _breaks(view.edition_breaks) == [
        ("spr-2012", "spr-fixture", "2026/27"),
        ("spr-fixture", "spr-fixture-2", "2027/28"),
    ]
    assert view.trends.periods == ["2025/26", "2026/27", "2027/28"]
    terrorism = next(series for series in view.trends.by_threat if series.code == "terrorism")
    assert terrorism.values == [1.0, 0.0, 1.0]
    assert [row.force.code for row in view.rows if row.assessment] == ["dyfed-powys"]


def test_national_page_queries_stay_constant_with_three_editions(
    editions, staff, make_user, forces, client, django_assert_max_num_queries
):
    """The same page read with one edition change behind it and then with two (and more forces and
    periods): the same number of queries."""
    spr2012, first, second = editions
    client.force_login(make_user(Role.NATIONAL_ADMIN))
    url = "/national/?edition=spr-fixture-2&period=2027/28"
    made = {}
    for code in ("dyfed-powys", "gwent"):
        made[code] = make_assessment(user=staff if code == "dyfed-powys" else make_user(Role.PCC_STAFF, code),
                                     force=forces[code], edition=second, period="2027/28")  # fmt: skip
        made[code + "-1"] = make_assessment(user=made[code].created_by, force=forces[code], edition=first,
                                            period="2026/27")  # fmt: skip
    client.get(url)
    with CaptureQueriesContext(connection) as one_change:
        page = client.get(url).content.decode()
    assert "Edition change" in page and "Edition changes" not in page

    for code in ("dyfed-powys", "gwent", "north-wales"):
        user = made[code].created_by if code in made else make_user(Role.PCC_STAFF, code)
        make_assessment(user=user, force=forces[code], edition=spr2012, period="2025/26")
        make_assessment(user=user, force=forces[code], edition=spr2012, period="2024/25")
    with django_assert_max_num_queries(len(one_change)):
        page = client.get(url).content.decode()
    assert "Edition changes" in page
    assert f"From 2027/28 assessments use {SECOND} (March 2027); earlier periods used {FIRST} (March 2026)." in page
    # The ceiling of the national page across one change (tests/dashboards/test_edition_break.py).
    assert len(one_change) <= 33
