"""The evidence API: uploads checked by content, links and references, the description edit, the
download, isolation between forces and query counts."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.utils import timezone

from assessments.models import Evidence
from tests.api.assessments_api_support import (
    EXE,
    HTML,
    PDF,
    api_client,
    make_file_evidence,
    make_reference_evidence,
    pdf,
    stored_files,
    use_private_media,
)
from tests.conftest import HOME_FORCE, OTHER_FORCE

LIST = "/api/v1/evidence/"


@pytest.fixture(autouse=True)
def media(tmp_path):
    folder = tmp_path / "media"
    undo = use_private_media(folder)
    yield folder
    undo()


@pytest.fixture
def staff(staff_user):
    return api_client(staff_user)


def _file_fields(**extra) -> dict:
    fields = {"kind": "file", "title": "CT plan", "owner": "Head of Special Branch", "evidence_date": "2025-05-01"}
    fields.update(extra)
    return fields


def _raw_multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body written by hand: Django's test client would strip the path from the name."""
    boundary = "spr-test-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="{filename}"\r\n'
        f"Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_evidence_upload_of_a_pdf(staff, media):
    answer = staff.post(LIST, {**_file_fields(review_by="2099-05-01"), "upload": pdf("CT plan 2025.pdf")})
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["force"] == HOME_FORCE
    assert body["kind"] == "file"
    assert body["original_name"] == "CT plan 2025.pdf"
    assert body["content_type"] == "application/pdf"
    assert body["size"] == len(PDF)
    assert body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert body["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert body["past_review"] is False
    assert body["url"] == "" and body["reference"] == ""
    assert body["download"] == f"http://testserver/api/v1/evidence/{body['id']}/download/"
    assert answer["Location"].endswith(f"/api/v1/evidence/{body['id']}/")
    # Stored under a generated name, never the uploader's.
    (stored,) = stored_files(media)
    assert stored.read_bytes() == PDF
    assert "CT plan" not in str(stored)


def test_evidence_download_bytes_and_headers(staff, chief_user, staff_user, forces):
    item = make_file_evidence(staff_user, forces[HOME_FORCE])
    for client in (staff, api_client(chief_user)):
        answer = client.get(f"/api/v1/evidence/{item.pk}/download/", HTTP_ACCEPT="application/pdf")
        assert answer.status_code == 200
        assert b"".join(answer.streaming_content) == PDF
        assert answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"] == 'attachment; filename="plan.pdf"'
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["X-Evidence-SHA256"] == hashlib.sha256(PDF).hexdigest()


def test_evidence_download_of_a_link_or_reference_is_404(staff, staff_user, forces):
    item = make_reference_evidence(staff_user, forces[HOME_FORCE])
    assert staff.get(f"/api/v1/evidence/{item.pk}/").json()["download"] is None
    assert staff.get(f"/api/v1/evidence/{item.pk}/download/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", EXE, "must be a"),
        ("notes.txt", HTML, "must be a"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_evidence_upload_of_a_refused_type_stores_nothing(staff, media, name, content, message):
    answer = staff.post(LIST, {**_file_fields(), "upload": pdf(name, content)})
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["upload"])
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_evidence_upload_over_the_size_limit_stores_nothing(staff, media, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = len(PDF) - 1
    answer = staff.post(LIST, {**_file_fields(), "upload": pdf()})
    assert answer.status_code == 400
    assert "smaller than" in answer.json()["upload"][0]
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize("filename", ["../x.pdf", "..\\\\x.pdf", "/etc/x.pdf", "x\x1b[31m.pdf", "x\x00.pdf", ".pdf"])
def test_evidence_upload_with_an_unsafe_file_name_stores_nothing(staff, media, filename):
    body, content_type = _raw_multipart(_file_fields(), filename, PDF)
    answer = staff.post(LIST, body, content_type=content_type)
    assert answer.status_code == 400, answer.content
    assert "upload" in answer.json()
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_evidence_upload_without_a_file_or_with_bad_fields_is_400(staff, media):
    cases = [
        (_file_fields(), "upload"),
        (_file_fields(evidence_date="yesterday"), "evidence_date"),
        (_file_fields(kind="photo"), "kind"),
        (_file_fields(title=""), "title"),
        (_file_fields(protective_marking="SECRET"), "protective_marking"),
        ({**_file_fields(), "sha256": "0" * 64, "upload": pdf()}, "sha256"),
        ({**_file_fields(), "size": "1", "upload": pdf()}, "size"),
        ({**_file_fields(), "file": "x", "upload": pdf()}, "file"),
        ({**_file_fields(), "force": "atlantis", "upload": pdf()}, "force"),
        ({**_file_fields(review_by="2025-04-01"), "upload": pdf()}, "review_by"),
    ]
    for data, field in cases:
        answer = staff.post(LIST, data)
        assert answer.status_code == 400, data
        assert field in answer.json(), (data, answer.json())
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


def test_evidence_link_and_reference(staff):
    link = staff.post(
        LIST,
        {"kind": "link", "title": "HMIC report", "owner": "HMIC", "evidence_date": "2025-01-01", "url": "https://example.org/r"},
        format="json",
    )  # fmt: skip
    assert link.status_code == 201, link.json()
    assert link.json()["url"] == "https://example.org/r"
    assert link.json()["download"] is None
    assert link.json()["sha256"] == ""
    reference = staff.post(
        LIST,
        {"kind": "reference", "title": "Gold group minutes", "owner": "Chief of staff", "evidence_date": "2025-01-01",
         "reference": "GG/2025/04"},
        format="json",
    )  # fmt: skip
    assert reference.status_code == 201
    assert reference.json()["reference"] == "GG/2025/04"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript://example.org/%0aalert(1)",
        "data:text/html,x",
        "ftp://x/y",
        "example.org",
        "https://not a web address",
    ],
)
def test_evidence_link_with_an_unsafe_scheme_is_400(staff, url):
    answer = staff.post(
        LIST, {"kind": "link", "title": "Bad", "owner": "x", "evidence_date": "2025-01-01", "url": url}, format="json"
    )
    assert answer.status_code == 400
    assert "Enter a web address in the correct format, like https://www.example.police.uk" in str(answer.json()["url"])
    assert Evidence.objects.count() == 0


def test_evidence_create_force_rules(make_user, forces, staff_user, national_admin_user, chief_user):
    from core.roles import Role

    fields = {"kind": "reference", "title": "T", "owner": "O", "evidence_date": "2025-01-01", "reference": "R"}
    # A national administrator names the force; staff of one force need not; staff of two must.
    assert api_client(national_admin_user).post(LIST, fields, format="json").status_code == 400
    admin = api_client(national_admin_user).post(LIST, {**fields, "force": OTHER_FORCE}, format="json")
    assert admin.status_code == 201 and admin.json()["force"] == OTHER_FORCE
    two = make_user(Role.PCC_STAFF, HOME_FORCE)
    two.memberships.create(force=forces[OTHER_FORCE])
    assert "force" in api_client(two).post(LIST, fields, format="json").json()
    # Staff cannot add to another force's library; readers cannot add at all.
    assert api_client(staff_user).post(LIST, {**fields, "force": OTHER_FORCE}, format="json").status_code == 403
    assert api_client(chief_user).post(LIST, fields, format="json").status_code == 403
    assert Evidence.objects.count() == 1


def test_evidence_patch_changes_description_fields_only(staff, staff_user, forces):
    item = make_file_evidence(staff_user, forces[HOME_FORCE])
    url = f"/api/v1/evidence/{item.pk}/"
    answer = staff.patch(
        url, {"title": "Renamed", "review_by": "2030-01-01", "protective_marking": "OFFICIAL"}, format="json"
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["title"] == "Renamed"
    assert answer.json()["protective_marking"] == "OFFICIAL"
    for data in ({"sha256": "0" * 64}, {"force": OTHER_FORCE}, {"kind": "link"}, {"url": "https://x"}, {"size": 1},
                 {"title": "x", "original_name": "evil.exe"}, {"title": "x", "upload": "x"}):  # fmt: skip
        refused = staff.patch(url, data, format="json")
        assert refused.status_code == 400, data
        assert set(data) - {"title"} <= set(refused.json()), (data, refused.json())
    assert staff.patch(url, {"evidence_date": "soon"}, format="json").status_code == 400
    assert staff.patch(url, {}, format="json").status_code == 400
    stored = Evidence.objects.get(pk=item.pk)
    assert (stored.title, stored.kind, stored.force.code, stored.original_name) == (
        "Renamed",
        "file",
        HOME_FORCE,
        "plan.pdf",
    )
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()


def test_evidence_list_filters(staff, staff_user, inspector_user, national_admin_user, other_staff_user, forces):
    make_file_evidence(staff_user, forces[HOME_FORCE])
    past = make_reference_evidence(staff_user, forces[HOME_FORCE], "Old", review_by=dt.date(2025, 6, 2))
    make_reference_evidence(other_staff_user, forces[OTHER_FORCE], "Kent")
    assert past.review_by < timezone.localdate()

    def titles(client, **params):
        answer = client.get(LIST, params)
        assert answer.status_code == 200, answer.json()
        return sorted(row["title"] for row in answer.json()["results"])

    assert titles(staff) == ["Counter-terrorism plan", "Old"]
    assert titles(staff, kind="reference") == ["Old"]
    assert titles(staff, past_review="true") == ["Old"]
    assert titles(staff, past_review="false") == ["Counter-terrorism plan"]
    assert titles(staff, force=OTHER_FORCE) == []
    admin = api_client(national_admin_user)
    assert titles(admin, force=OTHER_FORCE) == ["Kent"]
    assert len(titles(admin)) == 3
    # HMIC sees only evidence behind assessments it may read: none here.
    assert titles(api_client(inspector_user)) == []
    assert staff.get(LIST, {"past_review": "maybe"}).status_code == 400
    assert staff.get(LIST, {"force": "atlantis"}).status_code == 400
    assert api_client(other_staff_user).get(LIST, {"force": HOME_FORCE}).json()["count"] == 0


def test_evidence_list_queries_do_not_grow(staff, staff_user, forces, django_assert_max_num_queries):
    for i in range(3):
        make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}")
    # Seven: one of them reads the forces each listed item is shared with (`shared_with`), for all at once.
    with django_assert_max_num_queries(7) as few:
        assert staff.get(LIST, {"page_size": 100}).json()["count"] == 3
    for i in range(3, 30):
        make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}")
    make_file_evidence(staff_user, forces[HOME_FORCE])
    with django_assert_max_num_queries(7) as many:
        assert staff.get(LIST, {"page_size": 100}).json()["count"] == 31
    assert len(many) == len(few)
