"""The chief constable opens the dashboard and follows a red cell to its requirements; the HMIC
inspector filters the national view by region (no JavaScript needed) and downloads the CSV. axe-core
runs on every page visited."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db.models import F

from assessments.models import AssessmentStatus
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.workflow_support import advance, make_assessment
from threats.models import JudgementLevel

pytestmark = pytest.mark.e2e


@pytest.fixture
def published(forces, spr2012, settings):
    """West Midlands' and Kent's 2025/26 assessments, published; West Midlands judged not assured."""
    demo_accounts_create()
    users = get_user_model().objects
    made = {}
    for code, judgement in (("west-midlands", "not_assured"), ("kent", "assured")):
        people = {role: users.get(username=f"{role}-{code}") for role in ("staff", "chief", "pcc")}
        assessment = make_assessment(user=people["staff"], force=forces[code], edition=spr2012, period="2025/26")
        assessment = advance(assessment, AssessmentStatus.PUBLISHED, **people)
        level = JudgementLevel.objects.get(edition=spr2012, code=judgement)
        assessment.responses.update(judgement=level, version=F("version") + 1)
        made[code] = assessment
    return settings.SPR_DEMO_PASSWORD, made


def test_chief_constable_follows_a_red_cell_to_its_requirements(page, live_server, published):
    password, made = published
    sign_in(page, live_server, "chief-west-midlands", password)
    page.get_by_role("link", name="Dashboard").click()
    assert page.get_by_role("heading", name="West Midlands Police: SPR dashboard").is_visible()
    assert_accessible(page)

    red = page.locator("td.spr-heat-map__cell:has(a.spr-heat-map__link[data-colour='red'])").first
    assert "not assured" in red.inner_text()  # the spread, in words beside the colour
    red.locator("a.spr-heat-map__link").click()
    anchor = page.url.split("#", 1)[1]
    section = page.locator(f"section#{anchor}")
    assert section.is_visible()
    section.get_by_role("link").first.click()
    assert f"/assessments/{made['west-midlands'].pk}/requirements/" in page.url
    assert_accessible(page)


def test_inspector_filters_national_view_and_downloads_csv(nojs_page, page, live_server, published):
    password, _ = published
    # Without JavaScript: the GET form filters by region.
    sign_in(nojs_page, live_server, "inspector", password)
    nojs_page.goto(f"{live_server.url}/national/")
    nojs_page.get_by_label("Region", exact=True).select_option(label="West Midlands")
    nojs_page.get_by_role("button", name="Apply filters").click()
    assert "region=west-midlands" in nojs_page.url
    table = nojs_page.locator("table.spr-national")
    assert table.get_by_role("link", name="West Midlands Police").is_visible()
    assert table.get_by_text("Kent Police").count() == 0

    # With JavaScript: the same page is accessible, and the CSV link downloads the filtered matrix.
    sign_in(page, live_server, "inspector", password)
    page.goto(nojs_page.url)
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the national matrix as CSV").click()
    download = download_info.value
    assert download.suggested_filename == "spr-national-spr-2012-2025-26.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert {row["region"] for row in rows} == {"West Midlands"}
    assert any(row["force_code"] == "west-midlands" and row["judgement"] == "Not assured" for row in rows)
