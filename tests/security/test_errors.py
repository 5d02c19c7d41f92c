"""Malformed ids, NUL bytes and oversized bodies answer 4xx on every route (JSON on the API, a GOV.UK
page elsewhere), and the error pages are GOV.UK pages with the request id, which is also in the logs
(issue 13)."""

from __future__ import annotations

import io
import logging
import re
from urllib.parse import quote

import pytest
from django.urls import Resolver404, resolve
from rest_framework.test import APIClient

from tests.security.test_every_route import _kwargs, _routes
from tests.security.test_every_route import world as world  # noqa: F401 — a fixture, used by name

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=", re.IGNORECASE)


def assert_govuk_error_page(response, status: int, heading: str, request_id: str | None = None):
    page = response.content.decode()
    assert response.status_code == status, (response.status_code, page[:300])
    assert response["Content-Type"].startswith("text/html")
    assert 'class="govuk-template"' in page and f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert not INLINE_SCRIPT.search(page) and not INLINE_STYLE.search(page)
    shown = response["X-Request-ID"]
    assert f'<code class="spr-hash">{shown}</code>' in page
    if request_id:
        assert shown == request_id


def assert_api_error(response, status: int):
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail"} and body["detail"], body
    assert response["X-Request-ID"]


# --- Requirement references and ids in URLs ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/assessments/6/requirements/\x00/",
        "/assessments/6/requirements/\x00/challenges/",
        "/editions/spr-2012/requirements/\x00/",
        "/editions/spr-2012/requirements/3.1(a)\x1b/",
        "/capacity/kent/2025-26\x00/psu/",
        "/api/v1/assessments/abc/history/",
        "/api/v1/assessments/abc/snapshot/",
        "/api/v1/assessments/1.5/submit/",
        "/api/v1/assessments/99999999999999999999/",
        "/api/v1/forces/kent\x00/",
    ],
)
def test_no_route_matches_a_control_character_or_a_malformed_id(path):
    with pytest.raises(Resolver404):
        resolve(path)


@pytest.mark.django_db
def test_the_findings_answer_404_not_500(world, staff_client):
    pk = world["assessment"].pk
    for path in (
        f"/assessments/{pk}/requirements/%00/",
        f"/assessments/{pk}/requirements/%00/challenges/",
        "/editions/spr-2012/requirements/%00/",
    ):
        assert_govuk_error_page(staff_client.get(path), 404, "Page not found")
    for path in ("/api/v1/assessments/abc/history/", "/api/v1/assessments/abc/snapshot/"):
        assert_api_error(staff_client.get(path), 404)
    for action in ("submit", "return", "respond", "sign-off", "publish", "revise"):
        assert_api_error(
            staff_client.post(f"/api/v1/assessments/abc/{action}/", {}, content_type="application/json"), 404
        )


BAD_VALUES = ["abc", "1.5", "-1", "99999999999999999999", "%00", "abc%00", "%1b", "%FF", "%C0%80", "%2e%2e"]


def _malformed_urls(world):
    """Every route, with each of its arguments in turn replaced by each bad value (the others valid)."""
    for name, (route, kwargs) in sorted(_routes().items()):
        if not kwargs or name == "logout":
            continue
        good = _kwargs(name, route, kwargs, world)
        for kwarg in kwargs:
            for bad in BAD_VALUES:
                values = {key: quote(str(value), safe="()") for key, value in good.items()}
                values[kwarg] = bad
                path = re.sub(r"<(?:\w+:)?(\w+)>", lambda match, v=values: v[match.group(1)], route)
                path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda match, v=values: v[match.group(1)], path)
                yield name, "/" + path.replace("^", "").replace("$", "").replace("\\.", ".")


def _assert_4xx(client, name: str, method: str, url: str):
    response = getattr(client, method)(url)
    assert 400 <= response.status_code < 500, (name, method, url, response.status_code)
    if url.startswith("/api/") and response.status_code != 405:
        assert response["Content-Type"].startswith("application/json"), (name, url)
    return response


def _reaches_a_view(response) -> bool:
    """Whether the path the handler saw matches a URL pattern, so a view (and its permission checks)
    ran. The URL conf is the same for everyone (no middleware sets request.urlconf), so this depends on
    the URL only, never on who asked."""
    try:
        resolve(response.wsgi_request.path_info)
    except Resolver404:
        return False
    return True


@pytest.mark.django_db
def test_every_route_answers_malformed_values_with_a_4xx(world, staff_client, national_admin_client):
    """PCC office staff walk every malformed URL by GET and POST. Nine in ten of them match no URL
    pattern, so the resolver answers 404 before any view runs, the same for every role: the national
    administrator (who passes the permission checks staff fail) walks every URL that reaches a view,
    and one that does not per route and method, so their 404 page is still proven on every route."""
    checked = 0
    admin_walk: list[tuple[str, str, str]] = []
    sampled: set[tuple[str, str]] = set()
    reaching_a_view = 0
    for name, url in _malformed_urls(world):
        for method in ("get", "post"):
            response = _assert_4xx(staff_client, name, method, url)
            checked += 1
            if _reaches_a_view(response):
                reaching_a_view += 1
                admin_walk.append((name, method, url))
            elif (name, method) not in sampled:
                sampled.add((name, method))
                admin_walk.append((name, method, url))
    assert checked > 500
    # Enough of the walk gets past the resolver for the administrator's pass to test views, not 404s.
    assert reaching_a_view > 100
    for name, method, url in admin_walk:
        _assert_4xx(national_admin_client, name, method, url)


@pytest.mark.django_db
def test_a_nul_in_a_parameter_is_a_400(national_admin_client):
    assert_govuk_error_page(
        national_admin_client.get("/evidence/", {"force": "kent\x00"}),
        400,
        "Sorry, there is a problem with your request",
    )
    assert_api_error(national_admin_client.get("/api/v1/assessments/", {"force": "\x00"}), 400)
    assert_api_error(
        national_admin_client.post(
            "/api/v1/assessments/", "period=%00", content_type="application/x-www-form-urlencoded"
        ),
        400,
    )


# --- Oversized bodies ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_20_mb_api_body_is_a_json_413_and_a_page_body_a_govuk_413(staff_user, staff_client):
    body = b'{"narrative": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    api = APIClient()
    api.force_login(staff_user)

    assert_api_error(api.generic("POST", "/api/v1/assessments/", body, content_type="application/json"), 413)
    assert_api_error(api.generic("PATCH", "/api/v1/responses/1/", body, content_type="application/json"), 413)
    page = staff_client.generic(
        "POST",
        "/evidence/new/",
        b"title=" + b"x" * (20 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert_govuk_error_page(page, 413, "What you sent is too large")


# --- Error pages ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_404_page_is_a_govuk_page_with_the_callers_request_id(staff_client, client):
    assert_govuk_error_page(
        staff_client.get("/no-such-page/", HTTP_X_REQUEST_ID="probe-0001-abcdef"),
        404,
        "Page not found",
        "probe-0001-abcdef",
    )
    # An id that could forge a log line is replaced.
    forged = client.get("/no-such-page/", HTTP_X_REQUEST_ID="x\nINFO forged line")
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])
    assert_api_error(staff_client.get("/api/v1/no-such-thing/"), 404)


@pytest.mark.django_db
def test_403_page_is_a_govuk_page(staff_client):
    assert_govuk_error_page(staff_client.get("/national/"), 403, "You do not have permission to do this")


@pytest.mark.django_db
def test_csrf_failure_is_a_govuk_page(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    response = client.post("/evidence/new/", {"kind": "link"})

    assert_govuk_error_page(response, 403, "Sorry, your request could not be completed")


@pytest.fixture
def console_log():
    """What the console handler of settings.LOGGING writes, with its filter and format."""
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_500_is_a_govuk_page_or_api_json_with_the_request_id_also_in_the_log(settings, console_log):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.security.urls_boom"
    client = Client(raise_request_exception=False)

    page = client.get("/boom/", HTTP_X_REQUEST_ID="probe-500-page-0001")
    api = client.get("/api/v1/boom/", HTTP_X_REQUEST_ID="probe-500-api-00001")

    assert_govuk_error_page(page, 500, "Sorry, there is a problem with the service", "probe-500-page-0001")
    assert "a page failed" not in page.content.decode()
    assert_api_error(api, 500)
    assert "probe-500-api-00001" in api.json()["detail"] and "failed" not in api.json()["detail"]
    log = console_log.getvalue()
    assert "[request probe-500-page-0001] Internal Server Error: /boom/" in log
    assert "[request probe-500-api-00001] Internal Server Error: /api/v1/boom/" in log


@pytest.mark.django_db
def test_database_unavailable_is_a_503_with_retry_after_not_a_500(settings, console_log):
    from django.test import Client

    settings.ROOT_URLCONF = "tests.security.urls_boom"
    client = Client(raise_request_exception=False)

    page = client.get("/database-gone/", HTTP_X_REQUEST_ID="probe-503-page-0001")
    api = client.get("/api/v1/database-gone/")

    assert_govuk_error_page(page, 503, "Sorry, the service is unavailable", "probe-503-page-0001")
    assert page["Retry-After"] == "5"
    assert "closed the connection" not in page.content.decode()
    assert_api_error(api, 503)
    assert api["Retry-After"] == "5"
    assert api.json()["detail"] == "The service is temporarily unavailable. Try again in a few seconds."
    assert "Internal Server Error" not in console_log.getvalue()


def test_database_unavailable_while_loading_the_session_is_a_503(staff_client, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def gone(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(SessionStore, "load", gone)
    staff_client.raise_request_exception = False
    response = staff_client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
