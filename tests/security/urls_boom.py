"""The site's URLs plus four that fail, for the tests of the 500 and 503 answers (a page and an API
view each)."""

from django.db import InterfaceError, OperationalError
from django.urls import include, path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from spr.urls import handler400, handler403, handler404, handler500  # noqa: F401 — the site's error handlers


def boom_page(request):
    raise RuntimeError("a page failed")


@api_view(["GET"])
@permission_classes([AllowAny])
def boom_api(request):
    raise RuntimeError("an API view failed")


def database_gone_page(request):
    raise OperationalError("server closed the connection unexpectedly")


@api_view(["GET"])
@permission_classes([AllowAny])
def database_gone_api(request):
    raise InterfaceError("connection already closed")


urlpatterns = [
    path("database-gone/", database_gone_page),
    path("api/v1/database-gone/", database_gone_api),
    path("boom/", boom_page),
    path("api/v1/boom/", boom_api),
    path("", include("spr.urls")),
]
