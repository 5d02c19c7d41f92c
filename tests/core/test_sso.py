"""Single sign-on with OpenID Connect against a real provider on loopback (tests/oidc_provider.py):
the redirect, the code exchange with PKCE, the ID token's signature check, and who gets in."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from people.models import PendingSsoUser
from tests.oidc_provider import LoopbackProvider


@pytest.fixture
def provider(settings):
    with LoopbackProvider() as running:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "sso",
                        "name": "Kent Police",
                        "client_id": running.client_id,
                        "secret": running.client_secret,
                        "settings": {"server_url": running.issuer, "token_auth_method": "client_secret_post"},
                    }
                ],
            }
        }
        yield running


def sso_sign_in(client: Client, provider: LoopbackProvider):
    start = client.post(reverse("openid_connect_login", kwargs={"provider_id": "sso"}))
    assert start.status_code == 302 and start["Location"].startswith(f"{provider.issuer}/authorize?"), start
    answer = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    back = urlparse(answer.headers["Location"])
    assert back.path == reverse("openid_connect_callback", kwargs={"provider_id": "sso"})
    return client.get(f"{back.path}?{back.query}")


def person(user, **claims) -> dict:
    return {"sub": f"entra-{user.pk}", "email": user.email, "email_verified": True, "name": "Sam Staff", **claims}


def test_the_sign_in_page_offers_single_sign_on(provider, db):
    page = Client().get(reverse("login")).content.decode()
    assert "Sign in with Kent Police" in page


def test_a_known_person_signs_in_through_the_provider(provider, staff_user):
    provider.person = person(staff_user)
    client = Client()
    response = sso_sign_in(client, provider)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    assert client.get(reverse("home")).status_code == 200
    assert SocialAccount.objects.filter(user=staff_user, uid=f"entra-{staff_user.pk}").exists()


def test_a_tampered_id_token_is_refused(provider, staff_user):
    provider.person = person(staff_user)
    provider.tamper = True
    client = Client()
    response = sso_sign_in(client, provider)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 401
    assert "Single sign-on did not work" in response.content.decode()
    assert not SocialAccount.objects.exists()


def test_someone_without_an_account_gets_no_access_and_nothing_is_made(provider, db):
    provider.person = {"sub": "stranger", "email": "stranger@example.police.uk", "email_verified": True}
    users = get_user_model().objects.count()
    client = Client()
    response = sso_sign_in(client, provider)
    assert "You do not have access yet" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users
    assert not SocialAccount.objects.exists()
    assert list(PendingSsoUser.objects.values_list("email", flat=True)) == ["stranger@example.police.uk"]


def test_the_providers_mfa_counts_as_the_second_factor(provider, staff_user, settings):
    settings.SPR_REQUIRE_MFA = True
    provider.person = person(staff_user, amr=["pwd", "mfa"])
    client = Client()
    sso_sign_in(client, provider)
    assert client.get(reverse("home")).status_code == 200


def test_without_the_providers_mfa_the_person_sets_up_an_app(provider, staff_user, settings):
    settings.SPR_REQUIRE_MFA = True
    provider.person = person(staff_user, amr=["pwd"])
    client = Client()
    sso_sign_in(client, provider)
    assert client.get(reverse("home"))["Location"] == reverse("mfa_activate_totp")


def test_an_address_in_a_trusted_domain_needs_no_email_verified_claim(provider, staff_user, settings):
    provider.person = {"sub": "entra-oid", "email": staff_user.email}  # as Entra ID sends it
    client = Client()
    sso_sign_in(client, provider)
    assert "_auth_user_id" not in client.session  # unverified: not matched to the account

    app = settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]
    app["settings"]["verified_email"] = [staff_user.email.partition("@")[2]]
    client = Client()
    sso_sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(staff_user.pk)


def test_an_sso_person_without_a_password_sets_up_an_app_straight_away(provider, staff_user, settings):
    settings.SPR_REQUIRE_MFA = True
    staff_user.set_unusable_password()
    staff_user.save()
    provider.person = person(staff_user)
    client = Client()
    sso_sign_in(client, provider)
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Set up your authenticator app" in page.content.decode()


def test_signing_out_also_signs_out_at_the_provider(provider, staff_user):
    provider.person = person(staff_user)
    client = Client()
    sso_sign_in(client, provider)
    response = client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302 and response["Location"].startswith(f"{provider.issuer}/logout?")
    back = requests.get(response["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302 and back.headers["Location"] == "http://testserver" + reverse("login")
    assert provider.logouts[-1]["client_id"] == provider.client_id


def test_a_password_sign_out_stays_here(provider, staff_user):
    client = Client()
    client.post(reverse("login"), {"login": staff_user.username, "password": "correct horse battery staple"})
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert provider.logouts == []


def test_the_content_security_policy_lets_forms_go_to_the_provider(tmp_path):
    import subprocess
    import sys

    from tests.security.test_production import BASE_DIR, _production_env

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    env = _production_env(
        tmp_path, DJANGO_SETTINGS_MODULE="spr.settings", SPR_OIDC_ISSUER="https://login.example.net/t/v2.0"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert "https://login.example.net" in result.stdout, result.stderr
