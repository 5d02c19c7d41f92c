"""Error answers: a GOV.UK page for pages, the API's JSON shape (`{"detail": ...}`) under /api/, each
with the request id (core.requests). Django's handlers (spr/urls.py handler400/403/404/500), the CSRF
failure view and the request-size limit all answer through `error_response`."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.requests import request_id_of

API_PREFIX = "/api/"

TEMPLATES = {
    400: "errors/400.html",
    403: "errors/403.html",
    404: "errors/404.html",
    413: "errors/413.html",
    500: "errors/500.html",
    503: "errors/503.html",
}
#: Seconds a client is asked to wait after a 503 (the database is restarting or unreachable).
RETRY_AFTER_SECONDS = 5


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _api_detail(status: int, request_id: str) -> str:
    return {
        400: _("Bad request."),
        403: _("You do not have permission to perform this action."),
        404: _("Not found."),
        413: _("The request body is too large."),
        500: _("A server error occurred. Quote request ID %(request_id)s if you report it.")
        % {"request_id": request_id},
        503: _("The service is temporarily unavailable. Try again in a few seconds."),
    }[status]


def error_response(request, status: int, *, template: str | None = None, detail: str | None = None) -> HttpResponse:
    """The answer for `status`: JSON on the API, the GOV.UK error page elsewhere.

    A 500 page is rendered without the request's context processors (they may need the database that
    just failed); the others show the signed-in user's navigation as every page does.
    """
    request_id = request_id_of(request)
    if is_api(request):
        response = JsonResponse({"detail": detail or _api_detail(status, request_id)}, status=status)
    else:
        context = {
            "request_id": request_id,
            "detail": detail,
            "service_name": settings.SPR_SERVICE_NAME,
            "protective_marking": settings.SPR_PROTECTIVE_MARKING,
        }
        page = loader.get_template(template or TEMPLATES[status])
        body = page.render(context) if status >= 500 else page.render(context, request)
        response = HttpResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
