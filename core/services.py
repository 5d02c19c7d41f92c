"""Writes with no SPR rules in them."""

import secrets

from django.utils import timezone


def heartbeat_enqueue() -> str:
    """Send a heartbeat task through the broker; returns the token the worker will record."""
    from core.tasks import heartbeat

    token = secrets.token_hex(16)
    heartbeat.delay(token, timezone.now().isoformat())
    return token
