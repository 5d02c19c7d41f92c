"""Every API route, for every role and for nobody: who may read, and how bad requests are answered."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from capabilities.api.urls import router as capabilities_router
from core.tokens import token_create
from forces.api.urls import router as forces_router
from threats.api.urls import router as threats_router

#: Reference data every signed-in user reads. Force-owned routes (capacity figures, assessments…)
#: are walked with another force's user in tests/security/test_every_route.py.
REFERENCE_PREFIXES = {"areas", "editions", "forces", "regions", "requirements", "threats"}
ROUTES = [
    (prefix, basename, viewset.lookup_field)
    for router in (threats_router, capabilities_router, forces_router)
    for prefix, viewset, basename in router.registry
    if prefix in REFERENCE_PREFIXES
]
ROUTE_IDS = [prefix for prefix, _, _ in ROUTES]
DEEP_JSON = "[" * 3000


@pytest.fixture
def reference(forces, edition):
    """Forces and a small edition: every route has at least one object."""
    return edition


def _detail_url(client: Client, basename: str, lookup_field: str) -> str:
    """The detail URL of the first object listed (`pk` routes show it as `id`)."""
    listing = client.get(reverse(f"{basename}-list"))
    assert listing.status_code == 200
    first = listing.json()["results"][0]
    return reverse(f"{basename}-detail", kwargs={lookup_field: first["id" if lookup_field == "pk" else lookup_field]})


def test_api_routes_cover_the_reference_data():
    registered = {
        prefix for router in (threats_router, capabilities_router, forces_router) for prefix, _, _ in router.registry
    }
    assert registered >= REFERENCE_PREFIXES
    assert sorted(ROUTE_IDS) == ["areas", "editions", "forces", "regions", "requirements", "threats"]


@pytest.mark.parametrize(("prefix", "basename", "lookup_field"), ROUTES, ids=ROUTE_IDS)
def test_api_route_refuses_anonymous(client, reference, prefix, basename, lookup_field):
    assert client.get(reverse(f"{basename}-list")).status_code in (401, 403)
    detail = reverse(f"{basename}-detail", kwargs={lookup_field: "1" if lookup_field == "pk" else "x"})
    assert client.get(detail).status_code in (401, 403)


@pytest.mark.parametrize(("prefix", "basename", "lookup_field"), ROUTES, ids=ROUTE_IDS)
def test_api_route_answers_every_role(any_role_client, reference, prefix, basename, lookup_field):
    """Reference data is public to every signed-in user, the other force's staff included."""
    listing = any_role_client.get(reverse(f"{basename}-list"))
    assert listing.status_code == 200
    assert listing["Content-Type"] == "application/json"
    assert listing.json()["count"] >= 1
    detail = any_role_client.get(_detail_url(any_role_client, basename, lookup_field))
    assert detail.status_code == 200
    assert detail.json() == listing.json()["results"][0]


@pytest.mark.parametrize(("prefix", "basename", "lookup_field"), ROUTES, ids=ROUTE_IDS)
def test_api_detail_of_unknown_object_is_404(staff_client, reference, prefix, basename, lookup_field):
    unknown = "999999" if lookup_field == "pk" else "no-such-code"
    assert staff_client.get(reverse(f"{basename}-detail", kwargs={lookup_field: unknown})).status_code == 404


@pytest.mark.parametrize(("prefix", "basename", "lookup_field"), ROUTES, ids=ROUTE_IDS)
def test_api_route_is_read_only(staff_client, reference, prefix, basename, lookup_field):
    list_url = reverse(f"{basename}-list")
    detail_url = _detail_url(staff_client, basename, lookup_field)
    # A national administrator uploads editions by POST (tests/capabilities/test_editions_api.py):
    # everyone else is refused it.
    refused = 403 if prefix == "editions" else 405
    assert staff_client.post(list_url, {"code": "x"}, content_type="application/json").status_code == refused
    for method in ("put", "patch", "delete"):
        response = getattr(staff_client, method)(detail_url, {"code": "x"}, content_type="application/json")
        assert response.status_code == 405, method


@pytest.mark.parametrize(("prefix", "basename", "lookup_field"), ROUTES, ids=ROUTE_IDS)
def test_api_deeply_nested_json_is_not_a_server_error(staff_client, client, reference, prefix, basename, lookup_field):
    """3 KB of '[' made the stock JSONParser raise RecursionError (a 500); we must answer 4xx."""
    list_url = reverse(f"{basename}-list")
    detail_url = _detail_url(staff_client, basename, lookup_field)
    for url in (list_url, detail_url):
        for method in ("post", "put", "patch"):
            response = getattr(staff_client, method)(url, DEEP_JSON, content_type="application/json")
            assert response.status_code in (400, 403, 405), (method, url)
        assert client.post(url, DEEP_JSON, content_type="application/json").status_code in (401, 403)


def test_api_accepts_a_personal_token(staff_user, reference):
    secret = token_create(user=staff_user, name="Script").secret
    client = Client()
    response = client.get(reverse("api-edition-list"), HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response.json()["results"][0]["code"] == reference.code


def test_api_refuses_a_wrong_token(reference):
    response = Client().get(reverse("api-edition-list"), HTTP_AUTHORIZATION="Bearer spr_not-a-real-key")
    assert response.status_code == 401


def test_the_old_unhashed_token_scheme_is_refused(staff_user, reference, settings):
    """DRF's `Authorization: Token` keys are retired: not an installed app, not an accepted scheme,
    even with a personal token's secret."""
    assert "rest_framework.authtoken" not in settings.INSTALLED_APPS
    classes = settings.REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]
    assert "rest_framework.authentication.TokenAuthentication" not in classes
    secret = token_create(user=staff_user, name="Script").secret
    response = Client().get(reverse("api-edition-list"), HTTP_AUTHORIZATION=f"Token {secret}")
    assert response.status_code in (401, 403)
