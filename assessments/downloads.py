"""Serving an evidence file (the one way a stored file leaves the server) and an assessment's
workbook, for pages and API alike."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.utils.translation import gettext

from assessments.models import Assessment, Evidence, EvidenceKind, ScanStatus
from assessments.workbook import CONTENT_TYPE, assessment_workbook, workbook_filename
from core.exceptions import Conflict


def evidence_file_response(evidence: Evidence) -> FileResponse:
    """The file as an attachment under its display name, typed as checked at upload, never sniffed.

    The caller must already have found `evidence` through `Evidence.objects.visible_to(user)`.
    Raises Conflict (409) for a quarantined file: one waiting for its virus scan or found infected.
    """
    if evidence.kind != EvidenceKind.FILE or not evidence.file:
        raise Http404("This evidence has no file")
    if not evidence.is_downloadable:
        # Quarantined: waiting for a virus scan, or found infected. Never served, to anyone.
        raise Conflict(
            gettext("This file cannot be downloaded: a virus was found in it")
            if evidence.scan_status == ScanStatus.INFECTED
            else gettext("This file cannot be downloaded until it has been checked for viruses. Try again later")
        )
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage") from None
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Evidence-SHA256"] = evidence.sha256
    return response


def workbook_file_response(assessment: Assessment) -> HttpResponse:
    """The assessment as an .xlsx attachment. The caller must already have found `assessment`
    through `Assessment.objects.visible_to(user)`."""
    response = HttpResponse(assessment_workbook(assessment), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook_filename(assessment)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
