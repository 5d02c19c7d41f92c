"""The GOV.UK timeout warning in a real browser: it opens before the idle timeout, is accessible, and
"Stay signed in" keeps the session; the sessions page signs out another browser."""

import pytest

from core.roles import Role
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(make_user):
    return make_user(Role.PCC_STAFF, "west-midlands", "staff-timeout")


def test_timeout_warning_offers_to_stay_signed_in(page, live_server, person, settings):
    # One minute's idle limit with a 57-second warning: the warning opens 3 seconds after a page loads.
    settings.SPR_SESSION_IDLE_MINUTES = 1
    settings.SPR_SESSION_WARNING_SECONDS = 57
    sign_in(page, live_server, person.username, PASSWORD)
    dialog = page.locator("#timeout-warning")
    assert not dialog.is_visible()
    dialog.wait_for(state="visible", timeout=10_000)
    assert "You’re about to be signed out" in dialog.inner_text()
    assert "second" in page.locator(".spr-timeout-warning__countdown").inner_text()
    stay = page.get_by_role("button", name="Stay signed in")
    assert stay.evaluate("element => element === document.activeElement")
    assert_accessible(page)
    with page.expect_response(lambda response: "/accounts/keep-alive/" in response.url) as kept:
        stay.click()
    assert kept.value.status == 200
    assert not dialog.is_visible()
    assert "/accounts/login/" not in page.url


def test_sessions_page_signs_out_another_browser(browser, page, live_server, person):
    other = browser.new_context()
    other_page = other.new_page()
    sign_in(other_page, live_server, person.username, PASSWORD)
    sign_in(page, live_server, person.username, PASSWORD)
    page.get_by_role("link", name="Your sessions").click()
    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)
    page.get_by_role("button", name="Sign out of all other sessions").click()
    assert "You signed out of 1 other session." in page.content()
    other_page.goto(f"{live_server.url}/accounts/sessions/")
    assert "/accounts/login/" in other_page.url
    other.close()
