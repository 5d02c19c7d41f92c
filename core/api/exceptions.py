import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import ngettext
from rest_framework import status
from rest_framework.exceptions import APIException, Throttled, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import Conflict

NON_FIELD = "non_field_errors"


class ConflictError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The record's state does not allow this."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, plus services' Django ValidationErrors as 400 field errors and Conflicts as 409.
    Every error is JSON, whatever the client asked for (a CSV list or a file download included)."""
    response = _handle(exc, context)
    request = context.get("request")
    renderer = getattr(request, "accepted_renderer", None)
    if response is not None and renderer is not None and renderer.format != "json":
        request.accepted_renderer, request.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
    return response


def _handle(exc, context):
    if isinstance(exc, Throttled):
        # DRF's own answer (429 with Retry-After), in the service's words.
        seconds = max(1, math.ceil(exc.wait or 1))
        exc = Throttled(
            detail=ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
        )
        exc.wait = seconds
    if isinstance(exc, Conflict):
        response = drf_exception_handler(ConflictError(detail=exc.message), context)
        if exc.details:
            response.data["details"] = exc.details
        return response
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                (NON_FIELD if field == "__all__" else field): errors for field, errors in exc.message_dict.items()
            }
        else:
            detail = {NON_FIELD: exc.messages}
        exc = ValidationError(detail=detail)
    return drf_exception_handler(exc, context)
