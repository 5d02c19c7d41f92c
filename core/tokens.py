"""Personal API tokens: made, listed and revoked by their owner, each change in the audit trail.

A token reads `spr_<prefix><secret>`; only its SHA-256 is stored. `token_authenticate` is what the
API's Bearer authentication calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import ApiToken

TOKEN_PREFIX = "spr_"  # noqa: S105 — the marker every token starts with, not a secret
PREFIX_LENGTH = 8
#: last_used_at is written at most this often per token, so busy clients do not write on every call.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


class NewToken(NamedTuple):
    token: ApiToken
    #: The token itself: shown to its owner once, never stored.
    secret: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def token_create(*, user, name: str, days: int | None = None) -> NewToken:
    """Make a token for `user` that expires after `days` (default SPR_API_TOKEN_DAYS, never more).
    The secret is in the answer and nowhere else."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Enter a name for the token")})
    limit = settings.SPR_API_TOKEN_DAYS
    days = limit if days is None else days
    if not 1 <= days <= limit:
        raise ValidationError({"days": _("A token must expire within %(days)s days") % {"days": limit}})
    body = secrets.token_urlsafe(32)
    secret = f"{TOKEN_PREFIX}{body}"
    with transaction.atomic():
        token = ApiToken(
            user=user,
            name=name[:100],
            prefix=secret[: len(TOKEN_PREFIX) + PREFIX_LENGTH],
            key_hash=token_hash(secret),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        token.full_clean()
        token.save()
        audit_record(
            actor=user,
            action="created",
            instance=token,
            changes={"name": [None, token.name], "expires_at": [None, token.expires_at]},
        )
    return NewToken(token, secret)


def token_revoke(*, token: ApiToken, user) -> ApiToken:
    """Revoke one of `user`'s own tokens (revoking twice changes nothing)."""
    if token.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit_record(actor=user, action="changed", instance=token, changes={"revoked_at": [None, token.revoked_at]})
    return token


def token_authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret (its user loaded, with their profile: every answer naming the
    person who saved shows their job title), or None. Notes when it was last used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user__profile")
        .filter(key_hash=token_hash(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
