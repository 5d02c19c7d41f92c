"""Sign-in glue around django-allauth and django-axes: no self sign-up, the lockout's view of who is
signing in and from where, the rule that a session must have passed a second factor when
`SPR_REQUIRE_MFA` is on, and the reset of a person's factors by an administrator.

See docs/security.md for the controls and the tests that show them.
"""

from __future__ import annotations

import logging
import time

from allauth.account import app_settings as account_settings
from allauth.account import signals as account_signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.decorators import login_not_required
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.sessions.models import Session
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from core.audit import audit_record
from core.errors import error_response, is_api

logger = logging.getLogger(__name__)

#: Session key holding the id of the user whose session passed a second factor.
MFA_SESSION_KEY = "spr_mfa_user"
#: Session key holding the single sign-on provider a session signed in through (for signing out there).
SSO_SESSION_KEY = "spr_sso_provider"
#: Pages a signed-in person without an authenticator may still reach: enrolment and signing out.
ENROLMENT_URL_NAMES = (
    "mfa_activate_totp",
    "mfa_index",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
    "account_reauthenticate",
    "account_logout",
    "logout",
    "healthz",
)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on signs existing people in (matched by e-mail address); it makes no accounts."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False


class SignedIDTokenAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect client, except that the ID token's signature is checked against the
    provider's published keys even when the token came straight from the token endpoint (allauth
    skips the check then, as the specification allows over TLS)."""

    def _decode_id_token(self, app, id_token: str) -> dict:
        return jwtkit.verify_and_decode(
            credential=id_token,
            keys_url=self.openid_config["jwks_uri"],
            issuer=self.openid_config["issuer"],
            audience=app.client_id,
            lookup_kid=jwtkit.lookup_kid_jwk,
            verify_signature=True,
        )


@login_not_required
def oidc_callback(request, provider_id: str):
    """The OpenID Connect callback with the signature-checking adapter (same URL as allauth's)."""
    try:
        return OAuth2CallbackView.adapter_view(SignedIDTokenAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as error:
        raise Http404 from error


def sso_logout_url(request, provider_id: str, *, then: str) -> str | None:
    """The provider's end-session endpoint (RP-initiated logout) that comes back to `then`, or None
    if the provider has none or cannot be asked."""
    try:
        adapter = SignedIDTokenAdapter(request, provider_id)
        endpoint = adapter.openid_config.get("end_session_endpoint")
        client_id = adapter.get_provider().app.client_id
    except Exception:  # noqa: BLE001 — signing out here must not fail because the provider is away
        logger.warning("Could not reach the single sign-on provider %s to sign out there", provider_id)
        return None
    if not endpoint:
        return None
    query = urlencode({"client_id": client_id, "post_logout_redirect_uri": request.build_absolute_uri(then)})
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


@receiver(account_signals.user_logged_in)
def _on_sso_sign_in(sender, request=None, user=None, sociallogin=None, **kwargs):
    """A provider that says the person passed multiple factors (`amr` holds "mfa") is not asked again."""
    if sociallogin is None:
        return
    if request is not None and hasattr(request, "session"):
        request.session[SSO_SESSION_KEY] = sociallogin.account.provider
    claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
    if "mfa" in (claims.get("amr") or []):
        _mark_mfa_passed(request, user)


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are made by administrators (and invitations); nobody signs themselves up."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _l("This account has been deactivated: ask your administrator"),
        "email_password_mismatch": _l("Enter a correct email address and password"),
        "username_password_mismatch": _l("Enter a correct username and password"),
        "enter_current_password": _l("Enter your current password"),
        "incorrect_password": _l("The current password is not correct"),
        "incorrect_code": _l("Enter the code your authenticator app shows now"),
        "invalid_password_reset": _l("The link to reset your password has expired or was already used"),
    }

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_logout_redirect_url(self, request) -> str:
        """Asked before the session ends: a person who came by single sign-on is signed out at their
        provider too (RP-initiated logout), which sends them back to the sign-in page."""
        here = super().get_logout_redirect_url(request)
        provider_id = request.session.get(SSO_SESSION_KEY) if request.user.is_authenticated else None
        return (provider_id and sso_logout_url(request, provider_id, then=here)) or here

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """A sign-in minutes ago counts as the password asked again for second-factor changes: a person
        sent to enrolment straight after signing in sets up their app and sees their recovery codes
        without typing the password twice. Only if that sign-in passed the factors the person has."""
        request = self.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and (mfa_passed(request) or not has_authenticator(request.user))
            and _signed_in_within(request, account_settings.REAUTHENTICATION_TIMEOUT)
        ):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)


def axes_username(request, credentials: dict | None) -> str:
    """The account a sign-in attempt is for, as django-axes counts it: the same account whether it
    was named by username or e-mail address, in any letter case."""
    credentials = credentials or {}
    data = getattr(request, "POST", {}) if request is not None else {}
    value = (
        credentials.get("username")
        or credentials.get("email")
        or data.get("login")
        or data.get("username")
        or data.get("auth-username")
        or ""
    )
    value = str(value).strip().lower()
    if "@" in value:
        username = (
            get_user_model()
            .objects.filter(email__iexact=value)
            .order_by("pk")
            .values_list("username", flat=True)
            .first()
        )
        if username:
            return username.lower()
    return value


def client_ip_address(request) -> str:
    """The client's address for lockout: the socket's peer, unless `SPR_TRUSTED_PROXY_COUNT` proxies
    stand in front of the app. Each proxy appends the address it was called from to X-Forwarded-For,
    so with N trusted proxies the N-th entry from the right is the one the outermost proxy saw; what a
    client writes into the header itself sits further left and is ignored."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.SPR_TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote
    return hops[-count]


def _signed_in_within(request, seconds: int) -> bool:
    """Whether this session's user signed in (by password or single sign-on) less than `seconds` ago."""
    if request.session.get("account_authentication_methods_user") != str(request.user.pk):
        return False
    records = request.session.get("account_authentication_methods") or []
    times = [
        r.get("at", 0) for r in records if isinstance(r, dict) and r.get("method") in ("password", "socialaccount")
    ]
    return bool(times) and time.time() - max(times) < seconds


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def mfa_passed(request) -> bool:
    """Whether this session's user proved a second factor (at sign-in or by enrolling one)."""
    return request.session.get(MFA_SESSION_KEY) == str(request.user.pk)


def _mark_mfa_passed(request, user) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[MFA_SESSION_KEY] = str(user.pk)


@receiver(mfa_signals.authenticator_used)
def _on_authenticator_used(sender, request=None, user=None, **kwargs):
    _mark_mfa_passed(request, user)


@receiver(mfa_signals.authenticator_added)
def _on_authenticator_added(sender, request=None, user=None, authenticator=None, **kwargs):
    _mark_mfa_passed(request, user)
    audit_record(
        actor=user,
        action="created",
        model="mfa.authenticator",
        object_id=str(authenticator.pk),
        object_repr=_("Authenticator app of %(user)s") % {"user": user.get_username()},
        changes={"type": [None, authenticator.type]},
    )
    sessions_end(user=user, keep=_session_key(request))


@receiver(mfa_signals.authenticator_removed)
def _on_authenticator_removed(sender, request=None, user=None, authenticator=None, **kwargs):
    audit_record(
        actor=user,
        action="deleted",
        model="mfa.authenticator",
        object_id=str(authenticator.pk),
        object_repr=_("Authenticator app of %(user)s") % {"user": user.get_username()},
        changes={"type": [authenticator.type, None]},
    )
    sessions_end(user=user, keep=_session_key(request))
    if request is not None and not has_authenticator(user):
        # Without a factor the session no longer counts as having passed one: where MFA is required
        # the person sets one up again before anything else.
        request.session.pop(MFA_SESSION_KEY, None)


def _session_key(request) -> str | None:
    session = getattr(request, "session", None)
    return getattr(session, "session_key", None)


def sessions_end(*, user, keep: str | None = None) -> int:
    """End every live session of `user` in the database but `keep` (the one making the change).
    Answers how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.session_key == keep:
            continue
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended


def mfa_reset(*, person, by) -> int:
    """Remove every second factor of `person` (a lost phone): they enrol again at their next sign-in
    while MFA is required. Recorded in the audit trail as done by `by`; every session of `person`
    ends. Answers how many authenticators were removed."""
    with transaction.atomic():
        authenticators = list(Authenticator.objects.filter(user=person))
        for authenticator in authenticators:
            audit_record(
                actor=by,
                action="deleted",
                model="mfa.authenticator",
                object_id=str(authenticator.pk),
                object_repr=_("Authenticator app of %(user)s") % {"user": person.get_username()},
                changes={"type": [authenticator.type, None], "reset_by_administrator": [None, True]},
            )
        Authenticator.objects.filter(pk__in=[a.pk for a in authenticators]).delete()
    sessions_end(user=person)
    return len(authenticators)


class RequireMFAMiddleware:
    """After AuthenticationMiddleware. While `SPR_REQUIRE_MFA` is on, a signed-in session that has
    not passed a second factor reaches nothing but enrolment: a person without an authenticator is
    sent to set one up; a session that skipped a factor the person has (a password-only sign-in by
    another door) is ended and sent to sign in again. API calls on such a session answer 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SPR_REQUIRE_MFA and request.user.is_authenticated and not mfa_passed(request):
            return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request):
        if is_api(request):
            return error_response(
                request, 403, detail=_("Set up two-factor authentication in the browser before using the API.")
            )
        enrolment = {reverse(name) for name in ENROLMENT_URL_NAMES}
        if has_authenticator(request.user):
            logout(request)
            login_url = resolve_url(settings.LOGIN_URL)
            return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
        if request.path in enrolment:
            return self.get_response(request)
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
