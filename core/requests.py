"""The request id: one per request, taken from a trusted proxy's `X-Request-ID` when it is well formed,
otherwise made here; answered in the `X-Request-ID` header, shown on error pages and written on every
log line of the request (`RequestIdFilter`)."""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
#: What an incoming id may look like: anything else (too long, control characters, spaces) is replaced
#: so that a caller cannot forge log lines through it.
ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

_current: contextvars.ContextVar[str] = contextvars.ContextVar("spr_request_id", default="-")


def current_request_id() -> str:
    """The id of the request being handled in this context ("-" outside a request)."""
    return _current.get()


def request_id_of(request) -> str:
    return getattr(request, "request_id", None) or current_request_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE, so every later middleware, view and log line sees the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(META_KEY, "")
        request_id = incoming if ACCEPTED.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (for the formatter's `%(request_id)s`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True
