"""Reads of report jobs, always starting from `ReportJob.objects.visible_to(user)`: a job about a
subject the user cannot see is a 404 and never appears in a list."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from reports.models import JobStatus, ReportJob, ReportKind
from reports.services import QUEUE_DOWN_MESSAGE


def report_job_list(*, user) -> QuerySet[ReportJob]:
    """The jobs the user may see, newest first, with their subjects (one query)."""
    return (
        ReportJob.objects.visible_to(user)
        .select_related("assessment", "assessment__force", "edition", "region", "requested_by", "requested_by__profile")
        .order_by("-created_at", "-id")
    )


def report_job_get(*, user, pk) -> ReportJob:
    return get_object_or_404(report_job_list(user=user), pk=pk)


def job_message(job: ReportJob) -> str:
    """One sentence on where the job is, for the status page and the API."""
    if job.status == JobStatus.QUEUED:
        if job.dispatched_at is None:
            return QUEUE_DOWN_MESSAGE
        return "The report is waiting for a worker to start building it"
    if job.status == JobStatus.RUNNING:
        return "The report is being built"
    if job.status == JobStatus.DONE:
        return "The report is ready to download"
    return job.error or "The report could not be built"


def job_subject(job: ReportJob) -> str:
    """What the report is about, in words: "Kent Police, SPR 2012, 2025/26 (revision 1)"."""
    if job.kind == ReportKind.ACCOUNTABILITY and job.assessment_id:
        a = job.assessment
        return f"{a.force.name}, {a.period} (revision {a.revision})"
    scope = job.region.name if job.region_id else "all regions"
    return f"{job.edition.code if job.edition_id else ''} {job.period}, {scope}".strip()
