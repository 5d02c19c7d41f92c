"""Sign-in as a person (and an attacker) meets it: django-allauth's pages, django-axes' lockout, password
self-service and the second factor required by SPR_REQUIRE_MFA."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from core.roles import Role
from core.signin import client_ip_address, mfa_reset
from tests.security.test_production import BASE_DIR, _production_env

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth's rate limits (password reset e-mails) live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def sign_in(client: Client, login: str, password: str = PASSWORD, **extra):
    return client.post(reverse("login"), {"login": login, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def totp_code(secret: str) -> str:
    counter = list(yield_hotp_counters_from_time())[len(list(yield_hotp_counters_from_time())) // 2]
    return format_hotp_value(hotp_value(secret, counter))


# --- Sign-in -------------------------------------------------------------------------------------


def test_sign_in_by_username_or_email_address(staff_user):
    client = Client()
    assert sign_in(client, staff_user.username).status_code == 302
    assert signed_in(client)

    client = Client()
    assert sign_in(client, staff_user.email.upper()).status_code == 302
    assert signed_in(client)


def test_sign_in_page_is_a_govuk_page_with_an_error_summary(staff_user):
    page = Client().get(reverse("login"))
    assert page.status_code == 200
    assert b'class="govuk-input' in page.content and b"Username or email address" in page.content

    wrong = sign_in(Client(), staff_user.username, "not the password")
    body = wrong.content.decode()
    assert wrong.status_code == 200
    assert "<title>Error: " in body
    assert "govuk-error-summary" in body
    assert "Enter a correct username and password" in body


def test_nobody_can_sign_themselves_up(db):
    client = Client()
    page = client.get(reverse("account_signup"))
    assert "You do not have access yet" in page.content.decode()
    client.post(reverse("account_signup"), {"username": "mallory", "password1": "x" * 20, "password2": "x" * 20})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="mallory").exists()


def test_sign_out_ends_the_session(staff_user):
    client = Client()
    sign_in(client, staff_user.username)
    response = client.post(reverse("logout"), follow=True)
    assert not signed_in(client)
    assert "You have signed out" in response.content.decode()


# --- Lockout -------------------------------------------------------------------------------------


def test_fifty_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_page(staff_user):
    client = Client()
    for _ in range(50):
        sign_in(client, staff_user.username, "guess")
    response = sign_in(client, staff_user.username)
    assert response.status_code == 429
    assert not signed_in(client)
    body = response.content.decode()
    assert "You cannot sign in at the moment" in body
    assert "govuk-heading-l" in body


def test_a_forged_x_forwarded_for_does_not_reset_the_count(staff_user):
    client = Client()
    for attempt in range(50):
        sign_in(client, staff_user.username, "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    response = sign_in(client, staff_user.username, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429
    assert not signed_in(client)


def test_an_address_is_locked_out_whichever_accounts_it_tries(staff_user, chief_user):
    client = Client()
    for attempt in range(20):
        sign_in(client, f"nobody-{attempt}", "guess", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    assert sign_in(client, chief_user.username).status_code == 429
    assert not signed_in(client)
    # Another address signs the same person in.
    other = Client(REMOTE_ADDR="192.0.2.50")
    assert sign_in(other, chief_user.username).status_code == 302


def test_the_admin_has_no_password_door_of_its_own(national_admin_user):
    national_admin_user.is_staff = True
    national_admin_user.save()
    client = Client()
    for _ in range(50):
        response = client.post(
            "/admin/login/", {"username": national_admin_user.username, "password": "guess", "next": "/admin/"}
        )
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    # The admin's login sends even the right password to the service's sign-in page.
    client.post("/admin/login/", {"username": national_admin_user.username, "password": PASSWORD})
    assert not signed_in(client)
    # Locked out on the sign-in page: the admin is no way round.
    for _ in range(50):
        sign_in(client, national_admin_user.username, "guess")
    assert sign_in(client, national_admin_user.username).status_code == 429
    assert client.get("/admin/").status_code == 302
    assert not signed_in(client)


def test_an_administrator_unlocks_an_account(staff_user):
    from django.core.management import call_command

    client = Client()
    for _ in range(12):
        sign_in(client, staff_user.username, "guess")
    assert sign_in(client, staff_user.username).status_code == 429
    call_command("axes_reset")
    assert sign_in(client, staff_user.username).status_code == 302


def test_client_address_believes_x_forwarded_for_only_from_trusted_proxies(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 81.2.69.142")
    settings.SPR_TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.1"
    settings.SPR_TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "81.2.69.142"
    settings.SPR_TRUSTED_PROXY_COUNT = 2
    assert client_ip_address(request) == "6.6.6.6"


# --- Password self-service -----------------------------------------------------------------------


def test_password_reset_answers_the_same_for_known_and_unknown_addresses(staff_user):
    known = Client().post(reverse("account_reset_password"), {"email": staff_user.email})
    unknown = Client().post(reverse("account_reset_password"), {"email": "nobody@example.police.uk"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff_user.email]


def test_password_reset_by_the_emailed_link(staff_user):
    Client().post(reverse("account_reset_password"), {"email": staff_user.email})
    link = re.search(r"https?://[^\s]+/password/reset/key/[^\s]+", mail.outbox[0].body).group(0)
    client = Client()
    page = client.get(link, follow=True)
    assert "Choose a new password" in page.content.decode()
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"password1": "a sturdy new passphrase", "password2": "a sturdy new passphrase"})
    assert done.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.check_password("a sturdy new passphrase")


@pytest.mark.parametrize(
    ("new_password", "error"),
    [
        ("password123", "This password is too common"),
        ("12345678901234", "This password is entirely numeric"),
        ("short", "This password is too short"),
    ],
)
def test_password_change_applies_djangos_validators(staff_user, new_password, error):
    client = Client()
    sign_in(client, staff_user.username)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new_password, "password2": new_password},
    )
    assert response.status_code == 200
    assert error in response.content.decode()
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def test_password_like_the_username_is_refused(make_user):
    user = make_user(Role.PCC_STAFF, "kent", username="katherine.marlowe")
    client = Client()
    sign_in(client, user.username)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "katherine.marlowe1", "password2": "katherine.marlowe1"},
    )
    assert "too similar to the username" in response.content.decode()


def test_changing_the_password_ends_every_session(staff_user):
    elsewhere, here = Client(), Client()
    sign_in(elsewhere, staff_user.username)
    sign_in(here, staff_user.username)
    response = here.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a sturdy new passphrase", "password2": "a sturdy new passphrase"},
    )
    assert response.status_code == 302
    assert not signed_in(here)
    assert elsewhere.get(reverse("home")).status_code == 302  # sent to sign in


# --- Second factor -------------------------------------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.SPR_REQUIRE_MFA = True


def test_password_only_session_reaches_no_page_api_or_admin(mfa_required, national_admin_user):
    national_admin_user.is_staff = True
    national_admin_user.is_superuser = True
    national_admin_user.save()
    client = Client()
    assert sign_in(client, national_admin_user.username).status_code == 302
    enrol = reverse("mfa_activate_totp")
    for url in (reverse("home"), reverse("assessments:list"), "/admin/", reverse("account:tokens")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == enrol, url
    api = client.get(reverse("api-assessment-list"))
    assert api.status_code == 403
    assert "two-factor" in api.json()["detail"]
    assert client.post(reverse("api-token-list"), {"name": "sneaky"}).status_code == 403
    assert client.get(enrol).status_code == 200


def enrol_totp(client: Client) -> str:
    """Set up TOTP with a code computed here from the key the page shows. (Tests that call this run
    in transactions, as requests do, so allauth's after-commit work runs inside the request.)"""
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    body = page.content.decode()
    assert secret in body  # the key as text
    assert 'src="data:image/svg+xml' in body  # the QR code
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content.decode()
    return secret


@pytest.mark.django_db(transaction=True)
def test_enrolment_with_a_real_totp_code_opens_the_service(mfa_required, staff_user):
    client = Client()
    sign_in(client, staff_user.username)
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()

    enrol_totp(client)

    assert Authenticator.objects.filter(user=staff_user, type=Authenticator.Type.TOTP).exists()
    recovery = Authenticator.objects.get(user=staff_user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) == 10
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("api-assessment-list")).status_code == 200
    assert AuditEntry.objects.filter(model="mfa.authenticator", actor=staff_user, action="created").exists()


@pytest.mark.django_db(transaction=True)
def test_next_sign_in_asks_for_the_second_factor(mfa_required, staff_user):
    client = Client()
    sign_in(client, staff_user.username)
    enrol_totp(client)
    client.post(reverse("logout"))

    client = Client()
    response = sign_in(client, staff_user.username)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert not signed_in(client)
    assert client.get(reverse("home")).status_code == 302
    assert client.post(reverse("mfa_authenticate"), {"code": "123456"}).status_code == 200
    assert not signed_in(client)

    code = RecoveryCodes(Authenticator.objects.get(user=staff_user, type="recovery_codes")).get_unused_codes()[0]
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert signed_in(client)
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_session_that_skipped_the_factor_is_ended(mfa_required, staff_user):
    client = Client()
    sign_in(client, staff_user.username)
    enrol_totp(client)

    sneaky = Client()
    sneaky.force_login(staff_user)  # a password-only session, as another door would make
    response = sneaky.get(reverse("assessments:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(sneaky)


@pytest.mark.django_db(transaction=True)
def test_enrolling_a_factor_ends_other_sessions(mfa_required, staff_user):
    elsewhere = Client()
    sign_in(elsewhere, staff_user.username)
    here = Client()
    sign_in(here, staff_user.username)
    enrol_totp(here)
    assert not Session.objects.filter(session_key=elsewhere.session.session_key).exists()
    assert here.get(reverse("home")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_an_administrator_resets_a_persons_factors(mfa_required, staff_user, national_admin_user):
    client = Client()
    sign_in(client, staff_user.username)
    enrol_totp(client)

    assert mfa_reset(person=staff_user, by=national_admin_user) == 2
    assert not Authenticator.objects.filter(user=staff_user).exists()
    assert client.get(reverse("home")).status_code == 302  # their session ended
    entry = AuditEntry.objects.filter(model="mfa.authenticator", action="deleted").last()
    assert entry.actor == national_admin_user
    # At the next sign-in they enrol again.
    client = Client()
    sign_in(client, staff_user.username)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def _setting_in_production(tmp_path, name: str, **extra):
    script = f"import django; django.setup(); from django.conf import settings; print(repr(settings.{name}))"
    env = _production_env(tmp_path, DJANGO_SETTINGS_MODULE="spr.settings", **extra)
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_mfa_is_required_by_default_in_production_and_not_in_debug(tmp_path, settings):
    assert _setting_in_production(tmp_path, "SPR_REQUIRE_MFA") == "True"
    assert _setting_in_production(tmp_path, "SPR_REQUIRE_MFA", DEBUG="true") == "False"
    assert _setting_in_production(tmp_path, "SPR_REQUIRE_MFA", SPR_REQUIRE_MFA="false") == "False"
    assert settings.SPR_REQUIRE_MFA is False  # the test suite turns it on where it tests it


@pytest.mark.django_db(transaction=True)
def test_the_admin_action_resets_factors_and_is_audited(mfa_required, staff_user, national_admin_user):
    client = Client()
    sign_in(client, staff_user.username)
    enrol_totp(client)

    national_admin_user.is_staff = True
    national_admin_user.is_superuser = True
    national_admin_user.save()
    admin_client = Client()
    sign_in(admin_client, national_admin_user.username)
    enrol_totp(admin_client)
    ids = [str(pk) for pk in Authenticator.objects.filter(user=staff_user).values_list("pk", flat=True)]
    response = admin_client.post(
        "/admin/mfa/authenticator/", {"action": "reset_factors", "_selected_action": ids}, follow=True
    )
    assert response.status_code == 200
    assert "Reset the second factors of 1 person." in response.content.decode()
    assert not Authenticator.objects.filter(user=staff_user).exists()
    assert (
        AuditEntry.objects.filter(model="mfa.authenticator", action="deleted", actor=national_admin_user).count() == 2
    )


@pytest.mark.django_db(transaction=True)
def test_re_enrolment_removes_the_app_then_sets_up_a_new_one(mfa_required, staff_user):
    client = Client()
    sign_in(client, staff_user.username)
    first_secret = enrol_totp(client)

    page = client.get(reverse("mfa_deactivate_totp"))
    assert "Remove your authenticator app" in page.content.decode()
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=staff_user).exists()
    assert AuditEntry.objects.filter(model="mfa.authenticator", action="deleted", actor=staff_user).exists()
    # Required again straight away.
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")

    second_secret = enrol_totp(client)
    assert second_secret != first_secret
    assert client.get(reverse("home")).status_code == 200


def test_changing_factors_long_after_sign_in_asks_for_the_password_again(mfa_required, staff_user, monkeypatch):
    client = Client()
    sign_in(client, staff_user.username)
    session = client.session
    for record in session["account_authentication_methods"]:
        record["at"] -= 3600
    session.save()
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert "Enter your password again" in page.content.decode()


def test_sign_in_events_reach_djangos_and_axes_signals(staff_user):
    """The security event log listens to these; allauth and axes must keep sending them."""
    from axes.signals import user_locked_out
    from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

    seen = []

    def note(name):
        def receiver(sender, **kwargs):
            seen.append(name)

        return receiver

    receivers = {
        "in": note("in"),
        "out": note("out"),
        "failed": note("failed"),
        "locked": note("locked"),
    }
    user_logged_in.connect(receivers["in"])
    user_logged_out.connect(receivers["out"])
    user_login_failed.connect(receivers["failed"])
    user_locked_out.connect(receivers["locked"])
    try:
        client = Client()
        sign_in(client, staff_user.username)
        client.post(reverse("logout"))
        for _ in range(11):
            sign_in(client, staff_user.username, "guess")
    finally:
        user_logged_in.disconnect(receivers["in"])
        user_logged_out.disconnect(receivers["out"])
        user_login_failed.disconnect(receivers["failed"])
        user_locked_out.disconnect(receivers["locked"])
    assert seen[:2] == ["in", "out"]
    assert "failed" in seen and "locked" in seen


@pytest.mark.django_db(transaction=True)
def test_reset_mfa_command_for_the_administrator_who_lost_their_phone(mfa_required, national_admin_user):
    from django.core.management import CommandError, call_command

    client = Client()
    sign_in(client, national_admin_user.username)
    enrol_totp(client)
    call_command("reset_mfa", national_admin_user.username)
    assert not Authenticator.objects.filter(user=national_admin_user).exists()
    entry = AuditEntry.objects.filter(model="mfa.authenticator", action="deleted").last()
    assert entry.actor_id is None
    with pytest.raises(CommandError):
        call_command("reset_mfa", "nobody-at-all")
