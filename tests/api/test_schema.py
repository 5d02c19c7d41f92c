"""The OpenAPI schema generates cleanly, the Swagger page works offline (sidecar assets only), and
both are for signed-in users only."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse


def test_schema_generates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn raises on any warning or error; --validate checks it against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (
        "/api/v1/editions/",
        "/api/v1/threats/",
        "/api/v1/areas/",
        "/api/v1/requirements/",
        "/api/v1/forces/",
        "/api/v1/regions/",
    ):
        assert f"{path}:" in text


def test_schema_answers_a_signed_in_user(staff_client):
    response = staff_client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/requirements/" in response.json()["paths"]


def test_docs_page_uses_local_assets_only(staff_client):
    response = staff_client.get(reverse("api-docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn.jsdelivr" not in html
    assert "unpkg.com" not in html
    external = re.findall(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", html)
    assert external == []
    local = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert any(path.endswith("swagger-ui-bundle.js") for path in local)
    for path in local:
        assert finders.find(path), f"{path} is not among our static files"
    assert 'src="/api/v1/docs/?script=' in html


def test_docs_script_is_served_from_our_own_url(staff_client):
    response = staff_client.get(reverse("api-docs"), {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert reverse("api-schema") in response.content.decode()


@pytest.mark.parametrize("name", ["api-schema", "api-docs", "api-redoc"])
def test_schema_and_docs_refuse_anonymous(client, db, name):
    assert client.get(reverse(name)).status_code in (401, 403)
