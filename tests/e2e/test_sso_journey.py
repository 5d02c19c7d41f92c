"""Single sign-on in a real browser: the sign-in page's button, the provider on loopback, back into the
service, and out again through the provider, with the Content-Security-Policy in force; an unmapped
person's no-access page, their request on the people page, and their way in once their group is mapped."""

import copy

import pytest

from core.roles import Role
from tests.e2e.conftest import assert_accessible
from tests.oidc_provider import LoopbackProvider

pytestmark = pytest.mark.e2e


def _use(provider, settings) -> None:
    """Point the service at the loopback provider, as settings.py does from SPR_OIDC_*."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "sso",
                    "name": "Kent Police",
                    "client_id": provider.client_id,
                    "secret": provider.client_secret,
                    "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post"},
                }
            ],
        }
    }
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(provider.issuer)
    settings.CONTENT_SECURITY_POLICY = policy


def test_an_unmapped_person_waits_until_an_administrator_maps_their_group(page, live_server, make_user, settings):
    admin = make_user(Role.NATIONAL_ADMIN, None, "sso-national-admin")
    with LoopbackProvider() as provider:
        _use(provider, settings)
        provider.person = {
            "sub": "kent-new",
            "email": "nia.newcomer@kent.police.uk",
            "email_verified": True,
            "name": "Nia Newcomer",
            "groups": ["kent-opcc"],
            "amr": ["pwd", "mfa"],
        }
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="Sign in with Kent Police").click()
        assert page.get_by_role("heading", level=1).inner_text() == "You do not have access yet"
        assert "We have told your administrators" in page.content()
        assert_accessible(page)
        page.goto(f"{live_server.url}/accounts/login/")

        page.get_by_label("Username").fill(admin.username)
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Sign in", exact=True).click()
        page.goto(f"{live_server.url}/people/")
        assert "Asking for access" in page.content() and "Nia Newcomer" in page.content()
        assert_accessible(page)
        page.get_by_role("link", name="Single sign-on groups").click()
        page.get_by_role("button", name="Map a group").click()
        assert_accessible(page)
        page.get_by_label("Group claim value").fill("kent-opcc")
        page.get_by_label("PCC office staff", exact=True).check()
        page.get_by_label("Force", exact=True).select_option("kent")
        page.get_by_role("button", name="Map group").click()
        assert "kent-opcc" in page.locator("table").inner_text()
        assert_accessible(page)
        page.get_by_role("button", name="Sign out").click()

        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_role("button", name="Sign in with Kent Police").click()
        page.wait_for_url(f"{live_server.url}/")
        body = page.content()
        assert "Nia Newcomer" in body and "Kent Police" in body and "PCC office staff" in body
        assert_accessible(page)
        assert not page.spr_csp_violations, page.spr_csp_violations


def test_sign_in_and_out_through_the_provider(page, live_server, make_user, settings):
    user = make_user(Role.PCC_STAFF, "kent", username="staff-kent-sso")
    with LoopbackProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "sso",
                        "name": "Kent Police",
                        "client_id": provider.client_id,
                        "secret": provider.client_secret,
                        "settings": {"server_url": provider.issuer, "token_auth_method": "client_secret_post"},
                    }
                ],
            }
        }
        # What settings.py adds when SPR_OIDC_ISSUER is set.
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(provider.issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        provider.person = {"sub": "kent-1", "email": user.email, "email_verified": True, "amr": ["pwd", "mfa"]}

        page.goto(f"{live_server.url}/accounts/login/")
        assert_accessible(page)
        page.get_by_role("button", name="Sign in with Kent Police").click()
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")
        assert not page.spr_csp_violations, page.spr_csp_violations

        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")
        assert provider.logouts and provider.logouts[-1]["client_id"] == provider.client_id
        assert "You have signed out" in page.content()
        assert not page.spr_csp_violations, page.spr_csp_violations
