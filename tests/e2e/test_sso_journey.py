"""Single sign-on in a real browser: the sign-in page's button, the provider on loopback, back into the
service, and out again through the provider, with the Content-Security-Policy in force."""

import copy

import pytest

from core.roles import Role
from tests.e2e.conftest import assert_accessible
from tests.oidc_provider import LoopbackProvider

pytestmark = pytest.mark.e2e


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
