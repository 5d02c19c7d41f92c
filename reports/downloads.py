"""Serving a built report: the one way a PDF leaves the server, for pages and API alike."""

from __future__ import annotations

from django.http import FileResponse, Http404

from assessments.models import AssessmentStatus, Snapshot
from reports.models import ReportJob, ReportKind
from reports.services import report_file


def is_draft_report(job: ReportJob) -> bool:
    """Whether an accountability report shows anything but the published assessment: the assessment is
    not published, or the report was built before it was (before its snapshot was taken). Such a PDF
    carries the DRAFT watermark, and its file name says so too."""
    if job.kind != ReportKind.ACCOUNTABILITY:
        return False
    if job.assessment.status != AssessmentStatus.PUBLISHED:
        return True
    try:
        published = job.assessment.snapshot.created_at
    except Snapshot.DoesNotExist:  # published before snapshots existed: the live rows are the record
        return False
    return job.started_at is None or job.started_at < published


def report_filename(job: ReportJob) -> str:
    if job.kind == ReportKind.ACCOUNTABILITY:
        a = job.assessment
        draft = "-DRAFT-not-published" if is_draft_report(job) else ""
        return f"spr-accountability-{a.force.code}-{a.period.replace('/', '-')}-r{a.revision}{draft}.pdf"
    scope = job.region.code if job.region_id else "all-regions"
    return f"spr-national-{job.edition.code}-{job.period.replace('/', '-')}-{scope}.pdf"


def report_file_response(job: ReportJob) -> FileResponse:
    """The PDF as an attachment, typed application/pdf and never sniffed; 404 until it is built.

    The caller must already have found `job` through `ReportJob.objects.visible_to(user)`.
    """
    path = report_file(job)
    if path is None:
        raise Http404("The report is not ready")
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=report_filename(job), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Report-SHA256"] = job.sha256
    return response
