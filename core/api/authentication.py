"""DRF authentication by personal API token: `Authorization: Bearer spr_…` (core.tokens)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.tokens import TOKEN_PREFIX, token_authenticate


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    """A Bearer token made by its owner on their API tokens page. Other Bearer values (such as the
    health check's monitoring token) are left to other authentication."""

    keyword = "Bearer"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode()
        except UnicodeError as error:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from error
        if not secret.startswith(TOKEN_PREFIX):
            return None
        token = token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid, has expired or was revoked."))
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema about Bearer tokens."""

    target_class = "core.api.authentication.PersonalTokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A personal API token (spr_…)"}
