"""Security events into the audit chain (`core.audit.audit_event`): sign-in, failure, sign-out and
lockout from the authentication signals (Django's own, which allauth sends too, and django-axes'
`user_locked_out` when axes is installed), MFA changes (django-allauth's MFA signals, when installed),
API tokens issued and revoked, and every file a signed-in person takes away (a CSV
export, an evidence file, a PDF report) from one middleware that sees each attachment leave.

Denied access to another force's object is recorded where that 404 is decided, in
`forces.scoping.ForceScopedQuerySet.get`.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save

from core.audit import audit_event
from core.models import ApiToken, AuditEntry

logger = logging.getLogger(__name__)
Kind = AuditEntry.Kind


def on_sign_in(sender, request, user, **kwargs) -> None:
    audit_event(kind=Kind.SIGN_IN, user=user, request=request)


def on_sign_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_event(kind=Kind.SIGN_OUT, user=user, request=request)


def _known_user(username: str):
    """The account a failed attempt named, if there is one (the event is then found under its person)."""
    if not username:
        return None
    User = get_user_model()
    return User.objects.filter(**{User.USERNAME_FIELD: username}).first()


def on_sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced anything that looks like a password in `credentials`; only the
    # username is kept.
    username = str(credentials.get("username") or credentials.get("login") or "")[:150]
    user = _known_user(username)
    audit_event(
        kind=Kind.SIGN_IN_FAILED,
        user=user,
        username=username,
        request=request,
        details={"username": username},
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    username = str(username or "")[:150]
    user = _known_user(username)
    audit_event(
        kind=Kind.LOCKED_OUT,
        user=user,
        username=username,
        request=request,
        details={"username": username, "lockout_ip": ip_address or ""},
    )


def on_mfa_changed(sender, request=None, user=None, authenticator=None, change: str = "", **kwargs) -> None:
    """django-allauth's MFA: an authenticator added, removed or reset (recovery codes regenerated)."""
    audit_event(
        kind=Kind.MFA_CHANGED,
        user=user,
        request=request,
        details={"change": change, "method": str(getattr(authenticator, "type", "") or "")},
    )


def on_mfa_failed(sender, request=None, user=None, authenticator=None, **kwargs) -> None:
    audit_event(
        kind=Kind.SIGN_IN_FAILED,
        user=user,
        request=request,
        details={"username": getattr(user, "username", ""), "factor": "mfa"},
    )


def on_token_saved(sender, instance, created: bool, update_fields=None, **kwargs) -> None:
    """A personal API token issued or revoked (never its secret)."""
    if created:
        audit_event(kind=Kind.TOKEN_CHANGED, user=instance.user, details={"change": "created"})
    elif update_fields and "revoked_at" in update_fields and instance.revoked_at is not None:
        audit_event(kind=Kind.TOKEN_CHANGED, user=instance.user, details={"change": "revoked"})


def on_token_deleted(sender, instance, **kwargs) -> None:
    audit_event(kind=Kind.TOKEN_CHANGED, user=instance.user, details={"change": "revoked"})


def _mfa_receiver(change: str):
    def receiver(sender, **kwargs):
        on_mfa_changed(sender, change=change, **kwargs)

    return receiver


#: Kept at module level: signals hold receivers weakly.
_MFA_RECEIVERS = {change: _mfa_receiver(change) for change in ("added", "removed", "reset")}


def connect() -> None:
    """Connect the receivers (CoreConfig.ready)."""
    user_logged_in.connect(on_sign_in, dispatch_uid="spr-audit-sign-in")
    user_logged_out.connect(on_sign_out, dispatch_uid="spr-audit-sign-out")
    user_login_failed.connect(on_sign_in_failed, dispatch_uid="spr-audit-sign-in-failed")
    post_save.connect(on_token_saved, sender=ApiToken, dispatch_uid="spr-audit-token-saved")
    post_delete.connect(on_token_deleted, sender=ApiToken, dispatch_uid="spr-audit-token-deleted")
    # The sign-in libraries are optional here: each is listened to once it is installed.
    if apps.is_installed("axes"):
        from axes.signals import user_locked_out

        user_locked_out.connect(on_locked_out, dispatch_uid="spr-audit-locked-out")
    if apps.is_installed("allauth.mfa"):
        from allauth.mfa import signals as mfa

        mfa.authenticator_added.connect(_MFA_RECEIVERS["added"], dispatch_uid="spr-audit-mfa-added")
        mfa.authenticator_removed.connect(_MFA_RECEIVERS["removed"], dispatch_uid="spr-audit-mfa-removed")
        mfa.authenticator_reset.connect(_MFA_RECEIVERS["reset"], dispatch_uid="spr-audit-mfa-reset")
        mfa.authentication_failed.connect(on_mfa_failed, dispatch_uid="spr-audit-mfa-failed")


class DownloadAuditMiddleware:
    """Records every attachment a signed-in person is given: CSV files as exports, anything else
    (evidence files, PDF reports) as downloads. One place, so a new export cannot forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        disposition = response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if response.status_code == 200 and disposition.startswith("attachment") and user and user.is_authenticated:
            content_type = response.get("Content-Type", "")
            kind = Kind.EXPORT if content_type.startswith("text/csv") else Kind.DOWNLOAD
            audit_event(
                kind=kind,
                user=user,
                request=request,
                details={"file": _file_name(disposition), "content_type": content_type.split(";")[0]},
            )
        return response


def _file_name(disposition: str) -> str:
    for part in disposition.split(";"):
        name, _, value = part.strip().partition("=")
        if name in {"filename", "filename*"}:
            return value.strip('"').removeprefix("utf-8''")[:200]
    return ""
