"""The API over the real SPR 2012 edition, as `manage.py load_editions` loads it.

Figures are read back from the database so that correcting the data file does not break these tests.
"""

from __future__ import annotations

from django.urls import reverse

from capabilities.models import Area, Requirement

FIVE_CS = {"capacity", "contribution", "capability", "consistency", "connectivity"}


def test_spr2012_edition_with_counts(staff_client, spr2012):
    response = staff_client.get(reverse("api-edition-detail", kwargs={"code": "spr-2012"}))
    assert response.status_code == 200
    body = response.json()
    assert body["published_on"] == "2012-07-01"
    assert body["publisher"] == "Home Office"
    assert body["threat_count"] == spr2012.threats.count() == 5
    assert body["area_count"] == spr2012.areas.count() == 5
    assert body["requirement_count"] == spr2012.requirements.count() > 0
    assert body["judgement_scale"], "the edition has a judgement scale"
    assert {"code", "label", "score", "colour"} == set(body["judgement_scale"][0])


def test_spr2012_threats_and_areas(staff_client, spr2012):
    threats = staff_client.get(reverse("api-threat-list"), {"edition": "spr-2012"}).json()["results"]
    assert "terrorism" in [row["code"] for row in threats]
    areas = staff_client.get(reverse("api-area-list"), {"edition": "spr-2012"}).json()["results"]
    assert {row["code"] for row in areas} == FIVE_CS


def test_spr2012_every_area_filter_matches_the_database(staff_client, spr2012):
    url = reverse("api-requirement-list")
    for area in Area.objects.filter(edition=spr2012):
        response = staff_client.get(url, {"edition": "spr-2012", "area": area.code, "page_size": 500})
        assert response.status_code == 200
        refs = [row["ref"] for row in response.json()["results"]]
        assert refs == list(area.requirements.order_by("position").values_list("ref", flat=True))


def test_spr2012_requirement_found_by_ref(staff_client, spr2012):
    requirement = Requirement.objects.filter(edition=spr2012, ref__contains="(").order_by("position").last()
    found = staff_client.get(reverse("api-requirement-list"), {"edition": "spr-2012", "ref": requirement.ref})
    rows = found.json()["results"]
    assert [row["ref"] for row in rows] == [requirement.ref]
    assert rows[0]["text"] == requirement.text
    assert set(rows[0]["areas"]) == set(requirement.areas.values_list("code", flat=True))
    detail = staff_client.get(reverse("api-requirement-detail", kwargs={"pk": rows[0]["id"]}))
    assert detail.json() == rows[0]


def test_spr2012_requirement_list_in_constant_queries(staff_client, spr2012, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = staff_client.get(reverse("api-requirement-list"), {"page_size": 500})
    assert response.json()["count"] == spr2012.requirements.count()
