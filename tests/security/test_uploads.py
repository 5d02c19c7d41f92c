"""Uploads as an attacker would send them (issue 13): the EICAR test file, a 1 MB Word file that expands
to 1 GB, `invoice.pdf.exe`, hostile file names, archives inside documents; each refused before anything
is kept, with the same words on the evidence page and in the API. A file is quarantined until it is
found clean, and a quarantined file is never downloaded.

The virus scanner is a real clamd (the `clamd_socket` fixture) with a local signature for EICAR."""

from __future__ import annotations

import html
import io
import struct
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Evidence, ScanStatus
from core import uploads
from tests.api.assessments_api_support import PDF, api_client, use_private_media
from tests.conftest import EICAR, HOME_FORCE
from tests.factories import make_file_evidence

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def media(tmp_path):
    folder = tmp_path / "media"
    undo = use_private_media(folder)
    yield folder
    undo()


def stored(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


@pytest.fixture
def scanner(settings, clamd_socket):
    settings.CLAMD_SOCKET = clamd_socket
    settings.CLAMD_HOST = ""
    return clamd_socket


# --- Building documents ----------------------------------------------------------------------------------


def docx(extra: dict[str, bytes] | None = None, *, document: bytes = b"<w:document/>") -> bytes:
    """A minimal Word document; `extra` adds entries (name -> content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr("word/document.xml", document)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


_BOMB: dict[str, bytes] = {}


def docx_bomb() -> bytes:
    """A Word document of about 1 MB whose document.xml expands to 1 GB (built once, ~5 s)."""
    if "bomb" not in _BOMB:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            archive.writestr("_rels/.rels", b"<Relationships/>")
            with archive.open("word/document.xml", "w", force_zip64=True) as entry:
                chunk = b"0" * MB
                for _ in range(1024):
                    entry.write(chunk)
        _BOMB["bomb"] = buffer.getvalue()
    return _BOMB["bomb"]


def lying_docx() -> bytes:
    """A Word document whose central directory says document.xml is 10 bytes; it expands to 64 KB."""
    data = bytearray(docx(document=b"x" * 65536))
    directory = None
    # Find the central directory entry of word/document.xml and patch its uncompressed size (offset 24).
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        name_length = struct.unpack_from("<H", data, index + 28)[0]
        if data[index + 46 : index + 46 + name_length] == b"word/document.xml":
            struct.pack_into("<I", data, index + 24, 10)
            directory = index
        index += 4
    assert directory
    return bytes(data)


def with_symlink() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>")
        link = zipfile.ZipInfo("word/media/image1.png")
        link.create_system = 3
        link.external_attr = (0o120777 << 16) | 0x20
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


def encrypted() -> bytes:
    data = bytearray(docx())
    index = 0
    while (index := data.find(b"PK\x01\x02", index)) != -1:
        data[index + 8] |= 0x1  # general purpose flag: encrypted
        index += 4
    return bytes(data)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- The checker itself ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf.exe", PDF, "must end in .pdf"),
        ("invoice.exe.pdf", PDF, "such as .exe"),
        ("invoice.pdf.html", PDF, "must end in .pdf"),
        ("minutes", PDF, "must end in .pdf"),
        ("notes.md", b"just text\n", "must end in .txt"),
        ("photo.png", PDF, "must end in .pdf"),
        ("plan.docx", docx({"word/vbaProject.bin": b"macro"}), "macros"),
        ("plan.docx", docx({"word/embeddings/archive.zip": docx()}), "another archive"),
        ("plan.docx", docx({"word/media/image1.png": docx()}), "another archive"),
        ("plan.docx", docx({"../../evil.txt": b"x"}), "unsafe path"),
        ("plan.docx", with_symlink(), "link to another file"),
        ("plan.docx", encrypted(), "password protected"),
        ("plan.docx", lying_docx(), "damaged"),
        ("plan.docx", docx({"word/embeddings/sheet.xlsx": docx({"xl/embeddings/inner.docx": docx()})}), "archive"),
    ],
    ids=[
        "double-extension",
        "hidden-exe",
        "hidden-html",
        "no-extension",
        "unlisted-extension",
        "extension-disagrees",
        "macros",
        "nested-zip",
        "zip-named-png",
        "parent-path",
        "symlink",
        "encrypted",
        "lying-size",
        "nested-too-deep",
    ],
)
def test_check_upload_refuses(name, content, message):
    with pytest.raises(ValidationError, match=message):
        uploads.check_upload(upload(name, content), max_bytes=25 * MB)


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("Minutes 12.03.2025.pdf", PDF, "pdf"),
        ("report.docx.pdf", PDF, "pdf"),
        ("plan.docx", docx(), "docx"),
        ("plan.docx", docx({"word/embeddings/Microsoft_Excel_Worksheet.xlsx": docx()}), "docx"),
        ("notes.txt", b"plain words\n", "txt"),
        ("figures.csv", b"a,b\n1,2\n", "csv"),
    ],
)
def test_check_upload_accepts_ordinary_documents(name, content, extension):
    checked = uploads.check_upload(upload(name, content), max_bytes=25 * MB)

    assert checked.extension == extension and checked.scan == "not_scanned"


def test_check_upload_refuses_a_docx_that_expands_to_a_gigabyte():
    bomb = docx_bomb()
    assert len(bomb) < 2 * MB

    with pytest.raises(ValidationError, match="expands to more than 100 MB"):
        uploads.check_upload(upload("plan.docx", bomb), max_bytes=25 * MB)


def test_check_upload_refuses_a_high_ratio_entry_and_too_many_entries(monkeypatch):
    squeezed = docx({"word/media/big.bin": b"\0" * (5 * MB)})
    with pytest.raises(ValidationError, match="zip bomb"):
        uploads.check_upload(upload("plan.docx", squeezed), max_bytes=25 * MB)

    monkeypatch.setattr(uploads, "ZIP_MAX_ENTRIES", 10)
    many = docx({f"word/media/image{number}.png": b"\x89PNG" for number in range(10)})
    with pytest.raises(ValidationError, match="too many parts"):
        uploads.check_upload(upload("plan.docx", many), max_bytes=25 * MB)


# --- Pages and API alike --------------------------------------------------------------------------------


def _page_fields(name: str, content: bytes) -> dict:
    return {
        "kind": "file",
        "title": "Plan",
        "owner": "Operations",
        "evidence_date_day": "1",
        "evidence_date_month": "5",
        "evidence_date_year": "2025",
        "protective_marking": "OFFICIAL-SENSITIVE",
        "upload": upload(name, content),
    }


def _api_fields(name: str, content: bytes) -> dict:
    return {
        "kind": "file",
        "title": "Plan",
        "owner": "Operations",
        "evidence_date": "2025-05-01",
        "upload": upload(name, content),
    }


def _raw_multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name exactly as given (the test client would strip it)."""
    boundary = "spr-hardening-boundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
        if not isinstance(value, SimpleUploadedFile)
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


BAD_FILES = [
    ("eicar.txt", EICAR, "The file failed a virus scan"),
    ("invoice.pdf.exe", PDF, "The file name must end in .pdf, because the file is a PDF"),
    ("plan.docx", None, "The file expands to more than 100 MB"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_FILES, ids=["eicar", "double-extension", "bomb"])
def test_pages_and_api_refuse_the_same_bad_file_with_the_same_words(
    scanner, staff_client, staff_user, media, name, content, message
):
    content = docx_bomb() if content is None else content

    page = staff_client.post(reverse("assessments:evidence-create"), _page_fields(name, content))
    api = api_client(staff_user).post("/api/v1/evidence/", _api_fields(name, content))

    assert page.status_code == 400 and api.status_code == 400
    assert api.json() == {"upload": [message]}
    assert html.escape(message) in page.content.decode()
    assert "govuk-error-summary" in page.content.decode()
    assert not Evidence.objects.exists() and stored(media) == []


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("../../etc/passwd.pdf", "folder names"),
        ("..\\..\\boot.pdf", "folder names"),
        ("re\x07port.pdf", "control characters"),
        ("\x07\x08", "control characters"),
        ("..", "folder names"),
    ],
)
def test_hostile_file_names_are_refused_alike_by_pages_and_api_never_renamed(
    staff_client, staff_user, media, filename, message
):
    page_body, content_type = _raw_multipart(_page_fields("x", PDF), "upload", filename, PDF)
    api_body, _ = _raw_multipart(_api_fields("x", PDF), "upload", filename, PDF)

    page = staff_client.generic("POST", reverse("assessments:evidence-create"), page_body, content_type=content_type)
    api = api_client(staff_user).generic("POST", "/api/v1/evidence/", api_body, content_type=content_type)

    assert page.status_code == 400 and api.status_code == 400, (page.status_code, api.content)
    (api_message,) = api.json()["upload"]
    assert message in api_message
    assert html.escape(api_message) in page.content.decode()
    assert not Evidence.objects.exists() and stored(media) == []


# --- The scanner and the quarantine -----------------------------------------------------------------------


def test_eicar_is_refused_by_the_service_and_a_clean_file_is_stored_clean(scanner, staff_user, forces, media):
    with pytest.raises(ValidationError, match="The file failed a virus scan"):
        make_file_evidence(user=staff_user, force=forces[HOME_FORCE], upload=upload("eicar.txt", EICAR))
    assert stored(media) == []

    item = make_file_evidence(user=staff_user, force=forces[HOME_FORCE])

    assert item.scan_status == ScanStatus.CLEAN and len(stored(media)) == 1


def test_eicar_inside_a_word_document_is_found(scanner):
    with pytest.raises(ValidationError, match="failed a virus scan"):
        uploads.check_upload(upload("plan.docx", docx({"word/media/readme.txt": EICAR})), max_bytes=25 * MB)


def test_an_unreachable_scanner_refuses_the_file_rather_than_keep_it_unscanned(
    settings, staff_user, forces, media, tmp_path
):
    settings.CLAMD_SOCKET = str(tmp_path / "no-clamd-here.sock")

    with pytest.raises(ValidationError, match="could not be checked for viruses"):
        make_file_evidence(user=staff_user, force=forces[HOME_FORCE])

    assert not Evidence.objects.exists() and stored(media) == []


def test_without_a_scanner_files_are_recorded_as_not_scanned(settings, staff_user, forces):
    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""

    assert make_file_evidence(user=staff_user, force=forces[HOME_FORCE]).scan_status == ScanStatus.NOT_SCANNED


@pytest.mark.parametrize("state", [ScanStatus.PENDING, ScanStatus.INFECTED])
def test_a_quarantined_file_is_never_downloadable(staff_client, staff_user, forces, state):
    item = make_file_evidence(user=staff_user, force=forces[HOME_FORCE])
    Evidence.objects.filter(pk=item.pk).update(scan_status=state)

    page = staff_client.get(reverse("assessments:evidence-download", args=[item.pk]))
    api = api_client(staff_user).get(f"/api/v1/evidence/{item.pk}/download/")
    detail = staff_client.get(reverse("assessments:evidence-detail", args=[item.pk])).content.decode()

    assert page.status_code == 409 and "cannot be downloaded" in page.content.decode()
    assert api.status_code == 409 and "cannot be downloaded" in api.json()["detail"]
    assert reverse("assessments:evidence-download", args=[item.pk]) not in detail
    assert "checked for viruses" in detail
    assert api_client(staff_user).get(f"/api/v1/evidence/{item.pk}/").json()["scan_status"] == state


def test_the_admin_change_page_of_a_file_evidence_answers(national_admin_user, staff_user, forces, client):
    national_admin_user.is_staff = national_admin_user.is_superuser = True
    national_admin_user.save()
    client.force_login(national_admin_user)
    item = make_file_evidence(user=staff_user, force=forces[HOME_FORCE])

    answer = client.get(reverse("admin:assessments_evidence_change", args=[item.pk]))

    assert answer.status_code == 200
    assert reverse("assessments:evidence-download", args=[item.pk]) in answer.content.decode()
    assert client.get(reverse("admin:assessments_evidence_history", args=[item.pk])).status_code == 200


def test_scan_evidence_releases_clean_files_and_quarantines_infected_ones(
    settings, clamd_socket, staff_user, staff_client, forces
):
    from django.core.management import CommandError, call_command

    settings.CLAMD_SOCKET = settings.CLAMD_HOST = ""  # stored before a scanner was set up
    clean = make_file_evidence(user=staff_user, force=forces[HOME_FORCE])
    infected = make_file_evidence(user=staff_user, force=forces[HOME_FORCE], upload=upload("eicar.txt", EICAR))
    assert {clean.scan_status, infected.scan_status} == {ScanStatus.NOT_SCANNED}
    settings.CLAMD_SOCKET = clamd_socket

    with pytest.raises(CommandError, match="1 file"):
        call_command("scan_evidence", "--all")

    assert Evidence.objects.get(pk=clean.pk).scan_status == ScanStatus.CLEAN
    assert Evidence.objects.get(pk=infected.pk).scan_status == ScanStatus.INFECTED
    assert staff_client.get(reverse("assessments:evidence-download", args=[clean.pk])).status_code == 200
    assert staff_client.get(reverse("assessments:evidence-download", args=[infected.pk])).status_code == 409
