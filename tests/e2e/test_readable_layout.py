"""Pages that fit (WCAG 1.4.10): at 1,280 px the dashboard shows all five Cs and /national/ does not
scroll sideways; at 320 px the registers reflow instead of scrolling. axe-core runs on each page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from assessments.models import Action, AssessmentStatus, Departure
from capabilities.models import Requirement
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.workflow_support import advance, make_assessment
from threats.models import JudgementLevel

pytestmark = pytest.mark.e2e

LONG = "Mutual aid arrangements with neighbouring forces have not been exercised since the regional review " * 3


@pytest.fixture
def published(forces, spr2012, settings):
    """West Midlands' 2025/26 assessment, published, with a long action and departure on its registers."""
    demo_accounts_create()
    users = get_user_model().objects
    people = {role: users.get(username=f"{role}-west-midlands") for role in ("staff", "chief", "pcc")}
    assessment = make_assessment(user=people["staff"], force=forces["west-midlands"], edition=spr2012, period="2025/26")
    assessment = advance(assessment, AssessmentStatus.PUBLISHED, **people)
    levels = {level.code: level for level in JudgementLevel.objects.filter(edition=spr2012)}
    assessment.responses.update(judgement=levels["partially_assured"], version=F("version") + 1)
    assessment.responses.filter(requirement__ref="3.1(a)").update(judgement=levels["not_assured"])
    requirement = Requirement.objects.get(edition=spr2012, ref="3.1(a)")
    Action.objects.create(
        assessment=assessment,
        requirement=requirement,
        gap=LONG,
        description=LONG,
        owner="Assistant Chief Constable, Operations and Specialist Capabilities",
        due_date=dt.date(2020, 1, 31),
        created_by=people["staff"],
    )
    Departure.objects.create(
        assessment=assessment,
        requirement=requirement,
        departing_party="chief_constable",
        circumstances=LONG,
        reasons=LONG,
        alternative_arrangements=LONG,
        residual_risk=LONG,
        review_date=dt.date(2030, 1, 31),
        created_by=people["staff"],
    )
    return settings.SPR_DEMO_PASSWORD, assessment


def _scrolls_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_dashboard_and_national_view_fit_1280_px(page, live_server, published):
    password, _ = published
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "chief-west-midlands", password)
    page.goto(f"{live_server.url}/dashboard/")
    headers = page.locator("table.spr-heat-map th.spr-heat-map__area")
    assert headers.count() == 5
    for index in range(5):
        box = headers.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1280, headers.nth(index).inner_text()
    region = page.locator("div.spr-table-scroll:has(table.spr-heat-map)")
    assert region.evaluate("el => el.scrollWidth <= el.clientWidth")  # no cell cut off inside the region
    assert page.get_by_role("row", name="All threats (cross-cutting)").is_visible()
    assert "not assured" in page.locator("tr.spr-heat-map__band").inner_text()
    assert not _scrolls_sideways(page)
    assert_accessible(page)

    sign_in(page, live_server, "inspector", password)
    page.goto(f"{live_server.url}/national/")
    assert not _scrolls_sideways(page)
    matrix = page.locator("div.spr-table-scroll:has(table.spr-national)")
    assert matrix.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert_accessible(page)
    # the switch between the five Cs is a plain link
    page.get_by_role("navigation", name="Choose one of the five Cs").get_by_role("link").first.click()
    assert "area=" in page.url
    assert not _scrolls_sideways(page)


def test_registers_reflow_at_320_px(page, live_server, published):
    password, assessment = published
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server, "staff-west-midlands", password)
    for path in (
        f"/assessments/{assessment.pk}/actions/",
        f"/assessments/{assessment.pk}/departures/",
        "/assessments/",
        "/evidence/",
        f"/assessments/{assessment.pk}/",  # the task list, each requirement once with its tags
        f"/assessments/{assessment.pk}/requirements/3.1(a)/",
        f"/assessments/{assessment.pk}/history/",
        f"/assessments/{assessment.pk}/check/",
        f"/assessments/{assessment.pk}/challenges/",
        "/",
        "/editions/",
        "/editions/spr-2012/",
        "/reports/",
    ):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("main").is_visible(), path
        assert not _scrolls_sideways(page), path
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/actions/")
    owner = page.locator("table.spr-reflow td[data-label='Owner']")
    assert owner.evaluate("el => getComputedStyle(el).display") == "block"  # stacked, not a column
    assert owner.evaluate("el => getComputedStyle(el, '::before').content") == '"Owner: "'  # labelled
    assert_accessible(page)


def test_dashboards_do_not_scroll_sideways_at_320_px(page, live_server, published):
    password, _ = published
    page.set_viewport_size({"width": 320, "height": 640})
    sign_in(page, live_server, "chief-west-midlands", password)
    page.goto(f"{live_server.url}/dashboard/")
    assert not _scrolls_sideways(page)  # the heat map scrolls inside its own labelled region
    assert page.locator("#overdue-actions + table.spr-reflow td[data-label='Owner']").is_visible()
    sign_in(page, live_server, "inspector", password)
    page.goto(f"{live_server.url}/national/")
    assert not _scrolls_sideways(page)
    assert_accessible(page)
