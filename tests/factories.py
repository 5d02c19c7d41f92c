"""Small builders shared by tests: real rows made through the services, as users would make them."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Assessment, Evidence

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf_upload(name: str = "plan.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_assessment(*, user, force, edition, period: str = "2025/26", **kwargs) -> Assessment:
    return services.assessment_create(user=user, force=force, edition=edition, period=period, **kwargs)


def make_link_evidence(*, user, force, title: str = "Force CONTEST delivery plan", **kwargs) -> Evidence:
    return services.evidence_create(
        user=user,
        force=force,
        kind="link",
        title=title,
        owner=kwargs.pop("owner", "Head of Special Branch"),
        evidence_date=kwargs.pop("evidence_date", dt.date(2025, 4, 1)),
        url=kwargs.pop("url", "https://intranet.example.police.uk/contest-plan"),
        **kwargs,
    )


def make_file_evidence(*, user, force, title: str = "Mutual aid test report", upload=None, **kwargs) -> Evidence:
    return services.evidence_create(
        user=user,
        force=force,
        kind="file",
        title=title,
        owner=kwargs.pop("owner", "Operations planning"),
        evidence_date=kwargs.pop("evidence_date", dt.date(2025, 5, 1)),
        upload=upload or pdf_upload(),
        **kwargs,
    )
