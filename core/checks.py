"""Deployment checks of our own (`manage.py check --deploy`)."""

from django.core.checks import Info, Tags, register


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
