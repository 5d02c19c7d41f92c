"""/api/v1/areas/ and /api/v1/requirements/."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests.api.conftest import build_edition

AREAS = reverse("api-area-list")
REQUIREMENTS = reverse("api-requirement-list")


def test_areas_list_fields(staff_client, edition):
    results = staff_client.get(AREAS).json()["results"]
    assert [row["code"] for row in results] == ["area-0", "area-1"]
    assert {k: v for k, v in results[1].items() if k != "id"} == {
        "code": "area-1",
        "name": "Area 1",
        "section": "3.1",
        "edition": "test-2012",
    }


def test_areas_filter_by_edition_and_code(staff_client, edition):
    build_edition("other-2023", areas=5, published_on=dt.date(2023, 2, 1))
    assert staff_client.get(AREAS, {"edition": "test-2012"}).json()["count"] == 2
    found = staff_client.get(AREAS, {"edition": "other-2023", "code": "area-1"}).json()["results"]
    assert [(row["edition"], row["code"]) for row in found] == [("other-2023", "area-1")]
    assert staff_client.get(AREAS, {"edition": "nope"}).status_code == 400


def test_requirements_list_fields(staff_client, edition):
    results = staff_client.get(REQUIREMENTS).json()["results"]
    assert [row["ref"] for row in results] == ["4.1(a)(ii)", "4.1(b)(ii)", "4.1(c)(ii)", "4.1(d)(ii)"]
    assert {k: v for k, v in results[2].items() if k != "id"} == {
        "ref": "4.1(c)(ii)",
        "paragraph": "4.1",
        "section": "Capability",
        "lead_in": "Forces must have",
        "group_heading": "the capacity to",
        "text": "Requirement text 2",
        "areas": ["area-0"],
        "threats": ["threat-2"],
        "edition": "test-2012",
    }


def test_requirements_filter_by_area_threat_and_ref(staff_client, edition):
    def refs(**params):
        response = staff_client.get(REQUIREMENTS, params)
        assert response.status_code == 200
        return [row["ref"] for row in response.json()["results"]]

    assert refs(area="area-1") == ["4.1(b)(ii)", "4.1(d)(ii)"]
    assert refs(threat="threat-0") == ["4.1(a)(ii)", "4.1(d)(ii)"]
    assert refs(area="area-1", threat="threat-0") == ["4.1(d)(ii)"]
    assert refs(edition="test-2012", ref="4.1(c)(ii)") == ["4.1(c)(ii)"]
    assert refs(paragraph="4.1") == refs()


def test_requirements_filter_is_by_code_across_editions(staff_client, edition):
    """Area codes repeat across editions: filtering on one must not fail (a ModelChoiceFilter 500s)."""
    build_edition("other-2023", areas=2, requirements=6, published_on=dt.date(2023, 2, 1))
    both = staff_client.get(REQUIREMENTS, {"area": "area-0"})
    assert both.status_code == 200
    assert both.json()["count"] == 2 + 3
    only_2023 = staff_client.get(REQUIREMENTS, {"area": "area-0", "edition": "other-2023"}).json()
    assert only_2023["count"] == 3
    assert {row["edition"] for row in only_2023["results"]} == {"other-2023"}


def test_requirement_linked_twice_is_listed_once(staff_client, edition):
    from capabilities.models import Area, Requirement

    requirement = Requirement.objects.get(ref="4.1(a)(ii)")
    requirement.areas.set(Area.objects.filter(edition=edition))
    assert staff_client.get(REQUIREMENTS, {"edition": "test-2012"}).json()["count"] == 4
    area_0 = [row["ref"] for row in staff_client.get(REQUIREMENTS, {"area": "area-0"}).json()["results"]]
    assert area_0 == ["4.1(a)(ii)", "4.1(c)(ii)"]
    detail = staff_client.get(reverse("api-requirement-detail", kwargs={"pk": requirement.pk})).json()
    assert detail["areas"] == ["area-0", "area-1"]


def test_requirements_unknown_codes_are_400_with_a_message(staff_client, edition):
    response = staff_client.get(REQUIREMENTS, {"area": "courage", "threat": "dragons", "edition": "test-2012"})
    assert response.status_code == 400
    assert response.json() == {
        "area": ["No area has the code “courage”."],
        "threat": ["No threat has the code “dragons”."],
    }
