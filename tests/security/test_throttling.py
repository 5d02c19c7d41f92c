"""API rate limits (issue 13): over the rate, a 429 with Retry-After and the API's JSON error shape;
under it, nothing changes. The suite's own rates are high (spr/settings.py); these tests set low ones."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.tokens import token_create


@pytest.fixture
def low_rates(settings):
    cache.clear()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "user": "5/min"}}
    yield
    cache.clear()


def test_signed_in_user_over_the_rate_gets_429_with_retry_after(low_rates, staff_client):
    url = reverse("api-force-list")
    answers = [staff_client.get(url) for _ in range(5)]
    assert [a.status_code for a in answers] == [200] * 5
    refused = staff_client.get(url)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/json"
    assert refused.json()["detail"].startswith("Too many requests. Try again in ")


def test_token_and_session_count_against_the_same_user(low_rates, staff_user, staff_client):
    secret = token_create(user=staff_user, name="Throttle check").secret
    token_client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = reverse("api-force-list")
    for _ in range(3):
        assert staff_client.get(url).status_code == 200
    for _ in range(2):
        assert token_client.get(url).status_code == 200
    assert token_client.get(url).status_code == 429


def test_one_user_over_the_rate_leaves_another_unaffected(low_rates, staff_client, other_staff_client):
    url = reverse("api-force-list")
    for _ in range(6):
        staff_client.get(url)
    assert staff_client.get(url).status_code == 429
    assert other_staff_client.get(url).status_code == 200


class PublicView(APIView):
    """An operation open to anonymous callers (the API has none today; the anonymous rate is for them)."""

    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


def test_anonymous_callers_are_limited_by_address(low_rates, db):
    factory, view = APIRequestFactory(), PublicView.as_view()

    def call(address, **headers):
        return view(factory.get("/api/v1/public/", REMOTE_ADDR=address, **headers))

    assert [call("192.0.2.10").status_code for _ in range(4)] == [200, 200, 200, 429]
    # Another address has its own count; a forged X-Forwarded-For does not buy a fresh one.
    assert call("192.0.2.11").status_code == 200
    assert call("192.0.2.10", HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429


def test_normal_use_under_the_default_rates_is_unaffected(staff_client):
    cache.clear()
    url = reverse("api-force-list")
    assert all(staff_client.get(url).status_code == 200 for _ in range(30))


def test_a_cache_that_is_down_does_not_take_the_api_down(low_rates, staff_client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", unreachable)
    assert staff_client.get(reverse("api-force-list")).status_code == 200


def test_schema_documents_429_with_retry_after_on_every_operation(staff_client):
    schema = staff_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operations = [op for ops in schema["paths"].values() for op in ops.values() if isinstance(op, dict)]
    assert operations
    for operation in operations:
        assert "Retry-After" in operation["responses"]["429"]["headers"]
