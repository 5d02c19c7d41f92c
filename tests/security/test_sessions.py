"""Session limits (issue 13): idle timeout and absolute lifetime enforced on the server, the GOV.UK
timeout warning and its keep-alive, "sign out everywhere", and a password change ending every other
session. Time is moved by ageing the session's own timestamps, as a clock would."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from core.models import UserSession
from core.user_sessions import LAST_SEEN, SIGNED_IN_AT, describe_device

PASSWORD = "correct horse battery staple"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)


def _age(client: Client, *, idle: float = 0, signed_in: float = 0) -> None:
    """Move the session's clock back: `idle` seconds since its last activity, `signed_in` seconds
    more since it signed in."""
    session = client.session
    session[LAST_SEEN] -= idle
    session[SIGNED_IN_AT] -= signed_in
    session.save()


def _signed_in(user, agent: str = FIREFOX_WINDOWS) -> Client:
    """A browser that signed in through the sign-in page."""
    client = Client(HTTP_USER_AGENT=agent)
    response = client.post(reverse("login"), {"login": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content
    return client


def _is_signed_in(client: Client) -> bool:
    response = client.get(reverse("account-sessions"))
    return response.status_code == 200


def test_idle_session_is_signed_out_and_told_why(staff_client):
    _age(staff_client, idle=31 * 60)
    page = reverse("assessments:list")
    response = staff_client.get(page)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={page}"
    sign_in = staff_client.get(response["Location"])
    assert "You were signed out because you were inactive for 30 minutes." in sign_in.content.decode()
    assert not _is_signed_in(staff_client)


def test_activity_within_the_idle_limit_keeps_the_session(staff_client, staff_user):
    _age(staff_client, idle=29 * 60)
    assert staff_client.get(reverse("assessments:list")).status_code == 200
    # The request counted as activity: another 29 minutes later the session is still there.
    _age(staff_client, idle=29 * 60)
    assert staff_client.get(reverse("assessments:list")).status_code == 200


def test_idle_limit_comes_from_settings(staff_client, settings):
    settings.SPR_SESSION_IDLE_MINUTES = 5
    _age(staff_client, idle=6 * 60)
    assert staff_client.get(reverse("assessments:list")).status_code == 302
    assert not _is_signed_in(staff_client)


def test_absolute_lifetime_ends_an_active_session(staff_client):
    _age(staff_client, idle=60, signed_in=12 * 60 * 60)
    response = staff_client.get(reverse("assessments:list"), follow=True)
    assert "You were signed out because you had been signed in for 12 hours." in response.content.decode()
    assert response.redirect_chain[-1][0].startswith(reverse("login"))


def test_idle_api_session_is_refused_as_anonymous(staff_client):
    _age(staff_client, idle=31 * 60)
    response = staff_client.get(reverse("api-force-list"))
    assert response.status_code == 401  # refused as anonymous (Bearer first: 401 with WWW-Authenticate)
    assert response["Content-Type"] == "application/json"
    assert not _is_signed_in(staff_client)


def test_polling_status_panel_is_not_activity(staff_client, settings):
    settings.SPR_SESSION_PASSIVE_URLS = ["home"]
    _age(staff_client, idle=10 * 60)
    before = staff_client.session[LAST_SEEN]
    assert staff_client.get(reverse("home")).status_code == 200
    assert staff_client.session[LAST_SEEN] == before
    assert staff_client.get(reverse("assessments:list")).status_code == 200
    assert staff_client.session[LAST_SEEN] > before


def test_keep_alive_records_activity(staff_client):
    _age(staff_client, idle=25 * 60)
    before = staff_client.session[LAST_SEEN]
    assert staff_client.get(reverse("keep-alive")).status_code == 405
    response = staff_client.post(reverse("keep-alive"))
    assert response.status_code == 200
    assert response.json() == {"idle_seconds": 30 * 60}
    assert staff_client.session[LAST_SEEN] >= before + 25 * 60 - 1
    assert "no-store" in response["Cache-Control"]


def test_keep_alive_cannot_revive_an_ended_session(staff_client, client, db):
    _age(staff_client, idle=31 * 60)
    assert staff_client.post(reverse("keep-alive")).status_code == 302
    assert client.post(reverse("keep-alive")).status_code == 302


def test_signed_in_pages_carry_the_timeout_warning_without_inline_script(staff_client, client, db):
    page = staff_client.get(reverse("home")).content.decode()
    assert 'data-module="spr-timeout-warning"' in page
    assert 'data-idle-seconds="1800"' in page
    assert f'data-keep-alive-url="{reverse("keep-alive")}"' in page
    assert "js/timeout-warning.js" in page
    # A closed <dialog>: nothing shows without JavaScript.
    assert re.search(r"<dialog[^>]*\bopen\b", page) is None
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) is None
    anonymous = client.get(reverse("login")).content.decode()
    assert "spr-timeout-warning" not in anonymous


def test_session_cookie_ends_with_the_browser(staff_user):
    client = Client()
    response = client.post(reverse("login"), {"login": staff_user.username, "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert not cookie["max-age"]
    assert not cookie["expires"]


def test_sessions_page_lists_own_sessions_only(staff_user, other_staff_user):
    laptop = _signed_in(staff_user, FIREFOX_WINDOWS)
    _signed_in(staff_user, SAFARI_IPHONE)
    _signed_in(other_staff_user, FIREFOX_WINDOWS)
    page = laptop.get(reverse("account-sessions")).content.decode()
    assert page.count('<tr class="govuk-table__row">') == 3  # a header and two sessions
    assert "Firefox on Windows" in page
    assert "Safari on iPhone" in page
    assert page.count("This device") == 1
    assert "Sign out of all other sessions" in page
    assert UserSession.objects.filter(user=other_staff_user).count() == 1


def test_sign_out_of_other_sessions_keeps_this_one(staff_user, other_staff_user):
    laptop = _signed_in(staff_user, FIREFOX_WINDOWS)
    phone = _signed_in(staff_user, SAFARI_IPHONE)
    someone_else = _signed_in(other_staff_user)
    response = laptop.post(reverse("account-sessions"), {"scope": "others"}, follow=True)
    assert "You signed out of 1 other session." in response.content.decode()
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    assert _is_signed_in(someone_else)


def test_sign_out_everywhere_ends_this_session_too(staff_user):
    laptop = _signed_in(staff_user, FIREFOX_WINDOWS)
    phone = _signed_in(staff_user, SAFARI_IPHONE)
    response = laptop.post(reverse("account-sessions"), {"scope": "all"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You signed out everywhere" in response.content.decode()
    assert not _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    assert not UserSession.objects.filter(user=staff_user).exists()


def test_sessions_page_needs_sign_in(client, db):
    response = client.get(reverse("account-sessions"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_signing_out_removes_the_session_from_the_list(staff_user):
    laptop = _signed_in(staff_user)
    assert UserSession.objects.filter(user=staff_user).count() == 1
    laptop.post(reverse("logout"))
    assert not UserSession.objects.filter(user=staff_user).exists()


def test_password_change_by_the_person_ends_their_other_sessions(staff_user):
    staff_user.is_staff = True  # Django admin's own password-change page
    staff_user.save()
    laptop = _signed_in(staff_user, FIREFOX_WINDOWS)
    phone = _signed_in(staff_user, SAFARI_IPHONE)
    response = laptop.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a new and long passphrase",
            "new_password2": "a new and long passphrase",
        },
    )
    assert response.status_code == 302
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    # The session that changed it is still listed, under its new key.
    assert laptop.get(reverse("account-sessions")).content.decode().count("This device") == 1
    assert UserSession.objects.filter(user=staff_user).count() == 1


def test_password_set_elsewhere_ends_every_session(staff_user):
    laptop = _signed_in(staff_user)
    phone = _signed_in(staff_user, SAFARI_IPHONE)
    user = get_user_model().objects.get(pk=staff_user.pk)
    user.set_password("set by an administrator")
    user.save()
    assert not _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    assert not UserSession.objects.filter(user=staff_user).exists()


def test_saving_a_user_without_a_new_password_ends_nothing(staff_user):
    laptop = _signed_in(staff_user)
    user = get_user_model().objects.get(pk=staff_user.pk)
    user.first_name = "Priya"
    user.save()
    assert _is_signed_in(laptop)


@pytest.mark.parametrize(
    ("agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox on Windows"),
        (SAFARI_IPHONE, "Safari on iPhone"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36 Edg/124.0",
            "Microsoft Edge on macOS",
        ),
        ("python-requests/2.32", "Unknown browser"),
        ("", "Unknown browser"),
    ],
)
def test_describe_device(agent, described):
    assert describe_device(agent) == described


def test_sessions_page_query_count_does_not_grow_with_sessions(staff_user, django_assert_max_num_queries):
    laptop = _signed_in(staff_user)
    # The session, the user, the stale rows' clean-up, the list (and a savepoint pair on some databases).
    with django_assert_max_num_queries(6):
        assert laptop.get(reverse("account-sessions")).status_code == 200
    for _ in range(5):
        _signed_in(staff_user, SAFARI_IPHONE)
    with django_assert_max_num_queries(6):
        page = laptop.get(reverse("account-sessions"))
    assert page.content.decode().count("Safari on iPhone") == 5
