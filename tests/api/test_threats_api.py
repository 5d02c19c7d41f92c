"""/api/v1/editions/ and /api/v1/threats/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.api.conftest import build_edition
from threats.models import Edition

EDITIONS = reverse("api-edition-list")
THREATS = reverse("api-threat-list")


def test_editions_list_fields_counts_and_scale(staff_client, edition):
    build_edition("empty-2010", threats=0, areas=0, requirements=0, scale=False, published_on=dt.date(2010, 1, 1))
    results = staff_client.get(EDITIONS).json()["results"]
    assert [row["code"] for row in results] == ["test-2012", "empty-2010"], "newest first"
    assert results[0] == {
        "code": "test-2012",
        "title": "Edition test-2012",
        "publisher": "Home Office",
        "published_on": "2012-07-01",
        "effective_from": None,
        "status": "in_force",
        "follows": None,
        "isbn": "978-1-78246-000-0",
        "judgement_scale": [
            {"code": "not-assessed", "label": "Not yet assessed", "score": None, "colour": "grey"},
            {"code": "inadequate", "label": "Inadequate", "score": 1, "colour": "red"},
            {"code": "requires-improvement", "label": "Requires improvement", "score": 2, "colour": "orange"},
            {"code": "good", "label": "Good", "score": 3, "colour": "green"},
        ],
        "threat_count": 3,
        "area_count": 2,
        "requirement_count": 4,
    }
    assert results[1]["judgement_scale"] == []
    assert (results[1]["threat_count"], results[1]["area_count"], results[1]["requirement_count"]) == (0, 0, 0)


def test_editions_detail_by_code(staff_client, edition):
    response = staff_client.get(reverse("api-edition-detail", kwargs={"code": "test-2012"}))
    assert response.status_code == 200
    assert response.json()["requirement_count"] == 4


def test_editions_filter_by_status(staff_client, national_admin_client, edition):
    build_edition("old-2010", status=Edition.Status.SUPERSEDED, published_on=dt.date(2010, 2, 1))
    codes = [row["code"] for row in staff_client.get(EDITIONS, {"status": "superseded"}).json()["results"]]
    assert codes == ["old-2010"]
    assert staff_client.get(EDITIONS, {"status": "retired"}).status_code == 400


def test_draft_editions_are_never_listed(staff_client, national_admin_client, edition):
    # A draft is reached only through the national administrator's upload, mapping and publish
    # actions (tests/capabilities/test_editions_api.py).
    build_edition("draft-2023", status=Edition.Status.DRAFT, published_on=dt.date(2023, 2, 1))
    for client in (staff_client, national_admin_client):
        assert client.get(EDITIONS, {"status": "draft"}).json()["results"] == []
        assert client.get(reverse("api-edition-detail", kwargs={"code": "draft-2023"})).status_code == 404


def test_threats_list_fields_in_edition_order(staff_client, edition):
    results = staff_client.get(THREATS).json()["results"]
    assert [row["code"] for row in results] == ["threat-0", "threat-1", "threat-2"]
    first = results[0]
    assert set(first) == {"id", "code", "name", "description", "nsra_tier", "paragraph", "edition"}
    assert first["edition"] == "test-2012"
    assert first["nsra_tier"] == 1
    assert first["paragraph"] == "2.0"


def test_threats_filter_by_edition_and_code(staff_client, edition):
    build_edition("other-2023", threats=5, published_on=dt.date(2023, 2, 1))
    assert staff_client.get(THREATS).json()["count"] == 8
    assert staff_client.get(THREATS, {"edition": "test-2012"}).json()["count"] == 3
    assert staff_client.get(THREATS, {"edition": "other-2023"}).json()["count"] == 5
    found = staff_client.get(THREATS, {"edition": "other-2023", "code": "threat-4"}).json()["results"]
    assert [(row["edition"], row["code"]) for row in found] == [("other-2023", "threat-4")]
    detail = staff_client.get(reverse("api-threat-detail", kwargs={"pk": found[0]["id"]}))
    assert detail.json() == found[0]


@pytest.mark.parametrize("params", [{"edition": "spr-1999"}, {"nsra_tier": "x"}])
def test_threats_unknown_filter_value_is_400(staff_client, edition, params):
    response = staff_client.get(THREATS, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_threats_unknown_edition_names_the_code(staff_client, edition):
    assert staff_client.get(THREATS, {"edition": "spr-1999"}).json() == {
        "edition": ["No edition has the code “spr-1999”."]
    }
