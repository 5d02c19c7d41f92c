"""Helpers for the assessment API tests: records made through the services, API clients per user, and
evidence files kept in a temporary folder."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Evidence

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
TODAY = dt.date(2025, 6, 1)


def api_client(user) -> APIClient:
    """A DRF client signed in as `user` with a real session (so query counts include authentication)."""
    client = APIClient()
    client.force_login(user)
    return client


def pdf(name: str = "plan.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_assessment(user, force, edition, period: str = "2025/26"):
    return services.assessment_create(user=user, force=force, edition=edition, period=period)


def make_file_evidence(user, force, title: str = "Counter-terrorism plan", content: bytes = PDF) -> Evidence:
    return services.evidence_create(
        user=user, force=force, kind="file", title=title, owner="Head of Special Branch",
        evidence_date=TODAY, upload=pdf(content=content),
    )  # fmt: skip


def make_reference_evidence(user, force, title: str = "Minutes", **extra) -> Evidence:
    return services.evidence_create(
        user=user, force=force, kind="reference", title=title, owner="Chief of staff", evidence_date=TODAY,
        reference=f"REF/{title}", **extra,
    )  # fmt: skip


def make_departure(user, assessment, ref: str = "4.1(c)", **extra):
    fields = {
        "departing_party": "chief_constable",
        "circumstances": "Regional unit covers it",
        "reasons": "Cost",
        "alternative_arrangements": "ROCU agreement",
        "residual_risk": "Low",
        "review_date": dt.date(2026, 3, 31),
    }
    fields.update(extra)
    return services.departure_save(user=user, assessment=assessment, requirement=ref, **fields)


def make_action(user, assessment, ref: str = "3.1(a)", **extra):
    fields = {
        "gap": "No exercise this year",
        "description": "Run a tabletop exercise",
        "owner": "Superintendent, operations",
        "due_date": dt.date(2026, 1, 31),
    }
    fields.update(extra)
    return services.action_save(user=user, assessment=assessment, requirement=ref, **fields)


def use_private_media(folder) -> callable:
    """Point the evidence storage at `folder` (its location is fixed when the model loads, so
    override_settings(MEDIA_ROOT=...) would not reach it); returns a function that undoes it."""
    storage = Evidence._meta.get_field("file").storage
    previous = storage._location

    def _set(location):
        storage._location = location
        for cached in ("base_location", "location"):
            storage.__dict__.pop(cached, None)

    _set(str(folder))
    return lambda: _set(previous)


def stored_files(folder) -> list:
    return sorted(path for path in folder.rglob("*") if path.is_file())
