"""A new user signs in, sees their force and role, browses the SPR and reaches the API docs."""

import pytest

from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(forces, spr2012, settings):
    demo_accounts_create()
    return settings.SPR_DEMO_PASSWORD


def test_staff_sign_in_and_browse_the_edition(page, live_server, demo):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert_accessible(page)

    page.get_by_role("button", name="Sign in").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)

    sign_in(page, live_server, "staff-kent", demo)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
    assert "Kent Police" in page.content()
    assert "PCC office staff" in page.content()
    assert page.locator(".govuk-phase-banner").inner_text().count("OFFICIAL-SENSITIVE") == 1
    assert_accessible(page)

    page.get_by_role("link", name="Browse the Strategic Policing Requirement").click()
    assert_accessible(page)
    page.get_by_role("link", name="The Strategic Policing Requirement").first.click()
    assert "Terrorism" in page.content()
    assert_accessible(page)
    page.locator("a[href*='/requirements/4.1(c)/']").first.click()
    assert "conduct complex investigations" in page.content()
    assert_accessible(page)

    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=15_000)
    assert "SPR Assurance API" in page.content()
    assert not page.spr_csp_violations, page.spr_csp_violations


def test_pages_work_without_javascript(nojs_page, live_server, demo):
    page = nojs_page
    sign_in(page, live_server, "inspector", demo)
    assert "HMIC inspector" in page.content()
    page.goto(f"{live_server.url}/editions/spr-2012/")
    assert page.locator("table").count() >= 1
    page.get_by_role("button", name="Sign out").click()
    assert "signed out" in page.content()
