"""/api/v1/forces/ and /api/v1/regions/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from forces.models import Force, PolicingBody

FORCES = reverse("api-force-list")
REGIONS = reverse("api-region-list")


def test_forces_list_all_forces_by_name(staff_client, forces):
    body = staff_client.get(FORCES, {"page_size": 100}).json()
    assert body["count"] == Force.objects.count() == 46
    names = [row["name"] for row in body["results"]]
    assert names == sorted(names)


def test_forces_detail_fields(staff_client, forces):
    response = staff_client.get(reverse("api-force-detail", kwargs={"code": "west-midlands"}))
    assert response.status_code == 200
    assert response.json() == {
        "code": "west-midlands",
        "name": "West Midlands Police",
        "region": "West Midlands",
        "region_code": forces["west-midlands"].region.code,
        "home_office": True,
        "rocu": "West Midlands ROCU",
        "policing_body": {
            "name": "West Midlands Police and Crime Commissioner",
            "type": "pcc",
            "effective_from": "2012-11-22",
        },
    }


def test_forces_show_only_the_current_policing_body(staff_client, forces):
    kent = forces["kent"]
    kent.policing_bodies.update(effective_to=dt.date(2024, 5, 1))
    PolicingBody.objects.create(
        force=kent,
        name="Kent Police, Fire and Crime Commissioner",
        body_type="pfcc",
        effective_from=dt.date(2024, 5, 2),
    )
    body = staff_client.get(reverse("api-force-detail", kwargs={"code": "kent"})).json()["policing_body"]
    assert body == {"name": "Kent Police, Fire and Crime Commissioner", "type": "pfcc", "effective_from": "2024-05-02"}


def test_forces_without_a_current_body_show_null(staff_client, forces):
    forces["kent"].policing_bodies.update(effective_to=dt.date(2024, 5, 1))
    assert staff_client.get(reverse("api-force-detail", kwargs={"code": "kent"})).json()["policing_body"] is None


def test_forces_filter_by_region_and_home_office(staff_client, forces):
    region = forces["west-midlands"].region
    in_region = staff_client.get(FORCES, {"region": region.code}).json()
    assert in_region["count"] == region.forces.count() >= 1
    assert {row["region_code"] for row in in_region["results"]} == {region.code}

    home_office = staff_client.get(FORCES, {"home_office": "true"}).json()["count"]
    others = staff_client.get(FORCES, {"home_office": "false"}).json()["count"]
    assert home_office == Force.objects.filter(home_office=True).count() == 43
    assert others == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "atlantis"}, {"region": ["No region has the code “atlantis”."]}),
        ({"home_office": "maybe"}, {"home_office": ["Enter true or false."]}),
    ],
)
def test_forces_unknown_filter_value_is_400(staff_client, forces, params, message):
    response = staff_client.get(FORCES, params)
    assert response.status_code == 400
    assert response.json() == message


def test_regions_list_with_force_counts(staff_client, forces):
    results = staff_client.get(REGIONS, {"page_size": 100}).json()["results"]
    by_code = {row["code"]: row for row in results}
    region = forces["west-midlands"].region
    assert by_code[region.code] == {"code": region.code, "name": region.name, "force_count": region.forces.count()}
    assert sum(row["force_count"] for row in results) == 46
    names = [row["name"] for row in results]
    assert names == sorted(names)


def test_regions_detail_by_code(staff_client, forces):
    region = forces["kent"].region
    response = staff_client.get(reverse("api-region-detail", kwargs={"code": region.code}))
    assert response.status_code == 200
    assert response.json()["name"] == region.name
