"""With MFA required, a person signs in, sets up an authenticator app from the key the page shows,
keeps their recovery codes, makes and revokes an API token, signs out, and signs in again with a
recovery code: every page GOV.UK, axe-clean and within the CSP."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

from core.roles import Role
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e
PASSWORD = "correct horse battery staple"


def current_code(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_sign_in_enrol_totp_tokens_and_sign_in_again(page, live_server, make_user, settings):
    settings.SPR_REQUIRE_MFA = True
    user = make_user(Role.PCC_STAFF, "kent", username="staff-kent-e2e")

    sign_in(page, live_server, user.username, PASSWORD)
    assert "/2fa/totp/activate/" in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert page.locator("img.spr-qr-code").is_visible()
    assert_accessible(page)

    # Any other page sends the person back to enrolment.
    page.goto(f"{live_server.url}/assessments/")
    assert "/2fa/totp/activate/" in page.url

    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill("000000")
    page.get_by_role("button", name="Set up").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Set up").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes", page.locator("main").inner_text()
    assert page.locator(".spr-recovery-codes li").count() == 10
    assert_accessible(page)

    page.get_by_role("link", name="Continue to the service").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")

    page.get_by_role("link", name="Sign-in security").click()
    assert_accessible(page)
    page.get_by_role("link", name="Manage API tokens").click()
    page.get_by_label("Name").fill("Monthly figures script")
    page.get_by_role("button", name="Make token").click()
    token = page.locator("#new-token").input_value()
    assert token.startswith("spr_")
    assert_accessible(page)
    page.get_by_role("link", name="Revoke Monthly figures script").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    assert "Revoked" in page.locator("table").inner_text()

    page.get_by_role("button", name="Sign out").click()
    assert "You have signed out" in page.content()

    sign_in(page, live_server, user.username, PASSWORD)
    assert "/2fa/authenticate/" in page.url
    assert_accessible(page)
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()[0]
    page.get_by_label("Code").fill(recovery)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_password_reset_pages_are_accessible(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send the link").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Email address").fill("nobody@example.police.uk")
    page.get_by_role("button", name="Send the link").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    assert_accessible(page)


def test_allauths_other_pages_are_govuk_and_accessible(page, live_server, make_user):
    """Pages drawn by allauth's own templates through our GOV.UK elements (templates/allauth/)."""
    user = make_user(Role.PCC_STAFF, "kent", username="staff-kent-pages")
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.get_by_role("heading", level=1).inner_text() == "You do not have access yet"
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/inactive/")
    assert_accessible(page)

    sign_in(page, live_server, user.username, PASSWORD)
    for path in ("/accounts/email/", "/accounts/reauthenticate/", "/accounts/3rdparty/", "/accounts/2fa/"):
        page.goto(f"{live_server.url}{path}")
        assert page.locator("h1.govuk-heading-l").count() == 1, path
        assert_accessible(page)
