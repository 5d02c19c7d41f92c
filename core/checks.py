"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Info, Tags, register


@register(Tags.security, deploy=True)
def virus_scanner_configured(app_configs, **kwargs):
    """Information, not a warning: a deployment may scan elsewhere, but should know it does not here."""
    from core import antivirus

    if antivirus.scanner_configured():
        return []
    return [
        Info(
            "Uploaded evidence is not scanned for viruses: files are stored as 'not scanned'.",
            hint="Set CLAMD_SOCKET or CLAMD_HOST to scan every upload with ClamAV (docs/security.md).",
            id="spr.I001",
        )
    ]


#: Shorter keys are guessable enough to forge a chain with.
AUDIT_KEY_MIN_LENGTH = 32


@register(Tags.security)
def audit_key_configured(app_configs, **kwargs):
    """The audit chain's HMAC key must come from the environment (with DEBUG off no default exists)."""
    key = settings.SPR_AUDIT_KEY
    if not key:
        return [
            Error(
                "SPR_AUDIT_KEY is not set: the audit trail cannot be written.",
                hint="Set SPR_AUDIT_KEY to a random secret of at least 32 characters, kept outside the "
                "database (docs/security.md), e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'.",
                id="spr.E001",
            )
        ]
    if len(key) < AUDIT_KEY_MIN_LENGTH:
        return [
            Error(
                f"SPR_AUDIT_KEY is shorter than {AUDIT_KEY_MIN_LENGTH} characters.",
                hint="Use a random secret of at least 32 characters (docs/security.md).",
                id="spr.E002",
            )
        ]
    return []
