"""The API's rate limits (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]): DRF's per-user and per-address
throttles, with their rates from settings (SPR_API_THROTTLE_USER, SPR_API_THROTTLE_ANON).

A cache that cannot be reached (a shared Redis that is down) lets the request through: a limit that
cannot be counted must not take the API down with it. The failure is logged.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

logger = logging.getLogger(__name__)


class _FailOpen:
    def get_rate(self):
        # Read when asked, not when the class was defined (DRF's default), so a settings override applies.
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError as exc:
            raise ImproperlyConfigured(f"No throttle rate set for scope {self.scope!r}") from exc

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 — whatever the cache backend raises, the limit is skipped
            logger.warning("API throttle skipped: the cache is unavailable", exc_info=True)
            return True


class AnonThrottle(_FailOpen, AnonRateThrottle):
    """Anonymous callers, counted by address (REMOTE_ADDR, or X-Forwarded-For past NUM_PROXIES)."""


class UserThrottle(_FailOpen, UserRateThrottle):
    """Signed-in callers, session or token alike, counted by user."""
