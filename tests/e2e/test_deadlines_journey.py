"""A national administrator sets this period's deadlines (a mistake first: the error summary), sees
the late force on their home page and its assessment's deadline tags; a member of PCC office staff
chooses the weekly digest only. axe-core runs on every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.periods import current_period
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e


def _fill_date(page, name: str, day: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(day.day))
    page.locator(f"#id_{name}_month").fill(str(day.month))
    page.locator(f"#id_{name}_year").fill(str(day.year))


def test_national_admin_sets_deadlines_and_sees_who_is_late(page, live_server, forces, spr2012, settings):
    demo_accounts_create()
    staff = get_user_model().objects.get(username="staff-west-midlands")
    period = current_period()
    draft = make_assessment(user=staff, force=forces["west-midlands"], edition=spr2012, period=period)
    today = timezone.localdate()

    sign_in(page, live_server, "admin", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/deadlines/")
    assert_accessible(page)
    page.get_by_role("link", name=f"Set the deadlines for {period}").click()
    _fill_date(page, "submit_by", today - dt.timedelta(days=5))
    _fill_date(page, "respond_by", today - dt.timedelta(days=10))  # before submission: refused
    _fill_date(page, "sign_off_by", today + dt.timedelta(days=20))
    _fill_date(page, "publish_by", today + dt.timedelta(days=40))
    page.get_by_role("button", name="Save deadlines").click()
    assert page.title().startswith("Error: ")
    assert (
        "The response date must be the same as or after the submission date"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    _fill_date(page, "respond_by", today + dt.timedelta(days=10))
    page.get_by_role("button", name="Save deadlines").click()
    assert f"Deadlines for {period} saved" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/")
    late = page.locator("#late-forces + ul").inner_text()
    assert f"West Midlands Police {period}" in late
    assert_accessible(page)
    page.get_by_role("link", name=f"West Midlands Police {period}").click()
    assert page.url.endswith(f"/assessments/{draft.pk}/")
    assert "Late" in page.locator("#deadline-submit-status").inner_text()
    assert "Due soon" in page.locator("#deadline-respond-status").inner_text()
    assert_accessible(page)

    page.goto(f"{live_server.url}/national/?period={period}&deadline=late")
    assert "West Midlands Police" in page.locator("table").first.inner_text()
    assert_accessible(page)

    sign_in(page, live_server, "staff-west-midlands", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/people/me/")
    page.get_by_label("Send me only the weekly digest").check()
    page.get_by_role("button", name="Save").click()
    page.goto(f"{live_server.url}/people/me/")
    assert page.get_by_label("Send me only the weekly digest").is_checked()
    assert_accessible(page)
