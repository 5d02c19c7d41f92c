"""Middleware with no SPR rules in it: the request-size limit, the refusal of NUL characters in
parameters, `Cache-Control: no-store` on everything a signed-in user or an API client is shown, and a
503 (not a 500) while the database cannot be reached.

Their order is in spr/settings.py MIDDLEWARE; each says where it must stand.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _

from core.errors import API_PREFIX, error_response

logger = logging.getLogger(__name__)
#: What the database driver raises while the server is restarting, unreachable or refusing connections.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def body_limit(request) -> int:
    """The largest body a request may carry: an evidence upload's limit (plus room for the form's
    other fields) for a multipart body, DATA_UPLOAD_MAX_MEMORY_SIZE for anything else."""
    if request.content_type == "multipart/form-data":
        return settings.EVIDENCE_MAX_UPLOAD_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class RequestLimitsMiddleware:
    """Before anything reads the body (so before CSRF and sessions): a body over the limit is answered
    413 without being read, and a NUL character in a query or form parameter 400 (PostgreSQL cannot
    store or compare one, so it would otherwise surface as a server error wherever a view used it).
    Answers are JSON under /api/ and GOV.UK pages elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return error_response(request, 400)
        limit = body_limit(request)
        if length > limit:
            return error_response(
                request,
                413,
                detail=_("The request body is too large: it must be %(limit)s MB or smaller")
                % {"limit": limit // (1024 * 1024)},
            )
        if _has_nul(request.GET) or (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and _has_nul(request.POST)
        ):
            return error_response(request, 400, detail=_("Parameters must not contain NUL characters."))
        return self.get_response(request)


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class NoStoreMiddleware:
    """After AuthenticationMiddleware. `Cache-Control: no-store` on every answer to a signed-in user
    (OFFICIAL-SENSITIVE pages must not stay in a browser's cache or history) and every API answer
    (token clients are signed in only inside DRF). Static files are served by WhiteNoise before this
    runs, and the anonymous health check keeps its own never-cache headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_before = _signed_in(request)
        response = self.get_response(request)
        covered = request.path.startswith(API_PREFIX) or signed_in_before or _signed_in(request)
        if covered and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached (restarting, failed over, out of
    connections) answers 503 with Retry-After: a GOV.UK "service unavailable" page, JSON on the API.
    The same failure elsewhere in the request (a middleware loading the session) is answered the same
    by the 500 handler (core.views.server_error). Nothing is half-saved: each save is one transaction,
    so the client either saw it acknowledged or may safely try again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.warning("Database unavailable: %s %s answered 503 (%s)", request.method, request.path, exception)
            return error_response(request, 503)
        return None
