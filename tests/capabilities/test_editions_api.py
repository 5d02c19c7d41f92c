"""The editions API: upload a draft (201 with its diff, or 400 listing every problem with its line and
writing nothing), its mapping (GET/PUT) and publishing (409 while the mapping is incomplete).
National administrators only: every other role gets 403 on each of these endpoints."""

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from capabilities.models import RequirementMapping
from core.models import AuditEntry
from tests.capabilities.editions_support import fixture_bytes, fixture_mapping, row_counts
from threats.models import Edition, EditionStatus

UPLOAD = "/api/v1/editions/"
MAPPING = "/api/v1/editions/spr-fixture/mapping/"
PUBLISH = "/api/v1/editions/spr-fixture/publish/"


def _upload(client, content: bytes | None = None, name: str = "spr-fixture.yaml"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content or fixture_bytes())})


@pytest.fixture
def draft(spr2012, national_admin_client):
    response = _upload(national_admin_client)
    assert response.status_code == 201, response.json()
    return Edition.objects.get(code="spr-fixture")


def test_upload_answers_201_with_the_draft_and_its_diff(spr2012, national_admin_client):
    response = _upload(national_admin_client)

    assert response.status_code == 201
    body = response.json()
    assert body["code"] == "spr-fixture"
    assert body["status"] == "draft"
    assert body["follows"] == "spr-2012"
    assert body["requirement_count"] == 38
    diff = body["diff"]
    assert [row["ref"] for row in diff["requirements"]["added"]] == ["6.4(a)", "6.4(b)", "6.7"]
    assert [row["ref"] for row in diff["requirements"]["removed"]] == ["4.1(b)", "6.4", "6.6"]
    assert [row["ref"] for row in diff["requirements"]["reworded"]] == ["3.1(a)", "4.1(a)"]
    assert [row["code"] for row in diff["threats"]["added"]] == ["child-sexual-abuse"]
    uploaded = AuditEntry.objects.get(kind=AuditEntry.Kind.RECORD, model="threats.edition", action="created")
    assert uploaded.changes["file"] == [None, "spr-fixture.yaml"]
    assert uploaded.changes["status"] == [None, "draft"]


def test_invalid_upload_answers_400_with_every_error_and_line(spr2012, national_admin_client):
    text = fixture_bytes().decode()
    text = text.replace("  title: Test edition", "  title: ''\n  colour: Test edition", 1)
    text = text.replace("- ref: '6.7'", "- ref: '6.5'", 1)
    before = row_counts()

    response = _upload(national_admin_client, text.encode())

    assert response.status_code == 400
    errors = response.json()["errors"]
    messages = [error["message"] for error in errors]
    assert any("title is empty" in message for message in messages)
    assert any("unknown key colour" in message for message in messages)
    assert any("ref '6.5' is used more than once" in message for message in messages)
    lines = text.splitlines()
    title_line = lines.index("  title: ''") + 1
    assert {"line": title_line, "message": "edition: title is empty"} in errors
    assert all(error["line"] for error in errors)
    assert row_counts() == before


def test_upload_without_a_file_answers_400(spr2012, national_admin_client):
    response = national_admin_client.post(UPLOAD, {})
    assert response.status_code == 400
    assert "Select an edition file" in response.json()["detail"]


def test_draft_is_not_found_by_the_reading_api(draft, staff_client, inspector_client, national_admin_client):
    for client in (staff_client, inspector_client, national_admin_client):
        assert client.get("/api/v1/editions/spr-fixture/").status_code == 404
        assert "spr-fixture" not in [row["code"] for row in client.get(UPLOAD).json()["results"]]
        requirements = client.get("/api/v1/requirements/", {"page_size": 500}).json()["results"]
        assert "spr-fixture" not in {row["edition"] for row in requirements}
        # Filtering by a draft's code answers as for a code that does not exist.
        assert client.get("/api/v1/requirements/", {"edition": "spr-fixture"}).status_code == 400
    assert national_admin_client.get(MAPPING).status_code == 200


@pytest.mark.parametrize("role_client", ["staff_client", "chief_client", "pcc_client", "inspector_client"])
def test_every_editions_endpoint_answers_403_to_other_roles(draft, request, role_client):
    client = request.getfixturevalue(role_client)
    before = row_counts()

    assert _upload(client).status_code == 403
    assert client.get(MAPPING).status_code == 403
    assert client.put(MAPPING, fixture_mapping(), content_type="application/json").status_code == 403
    assert client.post(PUBLISH, {"effective_from": "2026-04-01"}, content_type="application/json").status_code == 403
    assert row_counts() == before


def test_mapping_get_lists_what_is_missing(draft, national_admin_client):
    body = national_admin_client.get(MAPPING).json()
    assert body["complete"] is False
    assert body["requirements"] == []
    assert "Requirement 6.7 is not mapped" in " ".join(body["problems"])
    assert "Requirement 6.6 of spr-2012 is neither continued nor retired" in body["problems"]


def test_incomplete_mapping_is_refused_with_every_error_and_nothing_written(draft, national_admin_client):
    mapping = fixture_mapping()
    mapping["requirements"] = [row for row in mapping["requirements"] if row["ref"] not in {"6.7", "6.4(a)"}]
    mapping["retired_requirements"] = ["6.6", "3.3"]
    mapping["threats"][0]["previous"] = ["no-such-threat"]
    before = row_counts()

    response = national_admin_client.put(MAPPING, mapping, content_type="application/json")

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert (
        "Requirement 6.7 is not mapped: list the requirements of spr-2012 it continues, or an empty list if it is new"
        in errors
    )
    assert any(error.startswith("Requirement 6.4(a) is not mapped") for error in errors)
    assert "Requirement 3.3 of spr-2012 is both continued and retired" in errors
    assert "Threat terrorism: 'no-such-threat' is not a threat of spr-2012" in errors
    assert row_counts() == before


def test_publish_is_refused_while_the_mapping_is_incomplete(draft, national_admin_client):
    before = row_counts()
    response = national_admin_client.post(PUBLISH, {"effective_from": "2026-04-01"}, content_type="application/json")

    assert response.status_code == 409
    assert "Requirement 6.7 is not mapped" in " ".join(response.json()["details"])
    assert row_counts() == before
    assert Edition.objects.get(code="spr-fixture").status == EditionStatus.DRAFT


def test_map_and_publish(draft, national_admin_client, staff_client):
    response = national_admin_client.put(MAPPING, fixture_mapping(), content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["complete"] is True
    merged = RequirementMapping.objects.get(requirement__edition=draft, requirement__ref="4.1(a)")
    assert sorted(merged.previous.values_list("ref", flat=True)) == ["4.1(a)", "4.1(b)"]

    response = national_admin_client.post(PUBLISH, {"effective_from": "2026-04-01"}, content_type="application/json")

    assert response.status_code == 200
    assert response.json()["status"] == "in_force"
    assert response.json()["effective_from"] == "2026-04-01"
    assert Edition.objects.get(code="spr-2012").status == EditionStatus.SUPERSEDED
    assert staff_client.get("/api/v1/editions/spr-fixture/").status_code == 200
    published = AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model="threats.edition", object_id=str(draft.pk))
    assert any(entry.changes.get("status") == ["draft", "in_force"] for entry in published)


def test_published_edition_is_immutable(draft, national_admin_client):
    national_admin_client.put(MAPPING, fixture_mapping(), content_type="application/json")
    national_admin_client.post(PUBLISH, {"effective_from": "2026-04-01"}, content_type="application/json")
    before = row_counts()

    changed = copy.deepcopy(fixture_mapping())
    changed["requirements"][0]["same_meaning"] = False
    assert national_admin_client.put(MAPPING, changed, content_type="application/json").status_code == 409
    again = national_admin_client.post(PUBLISH, {"effective_from": "2027-04-01"}, content_type="application/json")
    assert again.status_code == 409
    reupload = _upload(national_admin_client)
    assert reupload.status_code == 400
    assert "is published and cannot be changed" in reupload.json()["errors"][0]["message"]
    assert row_counts() == before


def test_publish_needs_a_date_after_the_previous_edition(draft, national_admin_client):
    national_admin_client.put(MAPPING, fixture_mapping(), content_type="application/json")
    assert national_admin_client.post(PUBLISH, {}, content_type="application/json").status_code == 400
    early = national_admin_client.post(PUBLISH, {"effective_from": "2011-01-01"}, content_type="application/json")
    assert early.status_code == 400
    assert Edition.objects.get(code="spr-fixture").status == EditionStatus.DRAFT


def test_malformed_bodies_get_400_and_write_nothing(draft, national_admin_client):
    before = row_counts()
    deep = "[" * 3000
    assert national_admin_client.post(UPLOAD, deep, content_type="application/json").status_code == 400
    assert national_admin_client.put(MAPPING, deep, content_type="application/json").status_code == 400
    assert national_admin_client.put(MAPPING, "[1, 2]", content_type="application/json").status_code == 400
    assert national_admin_client.put(MAPPING, "{not json", content_type="application/json").status_code == 400
    bad_date = national_admin_client.post(PUBLISH, {"effective_from": "31/02/2026"}, content_type="application/json")
    assert bad_date.status_code == 400
    assert row_counts() == before
