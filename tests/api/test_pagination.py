"""Every list is paginated the same way: count/next/previous/results, ?page_size up to 500."""

from __future__ import annotations

from django.urls import reverse

from tests.api.conftest import build_edition

REQUIREMENTS = reverse("api-requirement-list")


def test_list_is_paginated_by_50_by_default(staff_client, db):
    build_edition(requirements=120)
    first = staff_client.get(REQUIREMENTS).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 120
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].endswith("/api/v1/requirements/?page=2")

    last = staff_client.get(REQUIREMENTS, {"page": 3}).json()
    assert len(last["results"]) == 20
    assert last["next"] is None
    assert last["previous"].endswith("/api/v1/requirements/?page=2")


def test_page_size_is_respected_and_kept_in_links(staff_client, db):
    build_edition(requirements=25)
    body = staff_client.get(REQUIREMENTS, {"page_size": 10, "page": 2, "edition": "test-2012"}).json()
    assert [row["text"] for row in body["results"]] == [f"Requirement text {i}" for i in range(10, 20)]
    assert "page_size=10" in body["next"]
    assert "edition=test-2012" in body["next"]
    assert "page=3" in body["next"]


def test_page_size_is_capped_at_500(staff_client, db):
    build_edition(requirements=510)
    body = staff_client.get(REQUIREMENTS, {"page_size": 10_000}).json()
    assert body["count"] == 510
    assert len(body["results"]) == 500


def test_page_beyond_the_last_is_404(staff_client, db):
    build_edition(requirements=3)
    assert staff_client.get(REQUIREMENTS, {"page": 2}).status_code == 404
    assert staff_client.get(REQUIREMENTS, {"page": "last"}).status_code == 200
