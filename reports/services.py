"""Report jobs: request, dispatch, render, sweep. The job row in the database is the truth; the broker
only carries job ids, and losing a message (broker down, worker killed) never loses a job.

Guarantees:
- `report_request` answers quickly whatever the broker's state: the job is saved first and dispatched
  after commit; if the broker refuses, the job stays queued with `dispatched_at` empty and the
  sweeper dispatches it later.
- A request for content already built (same kind, subject and input hash, file present) returns that
  job; one for content being built returns the job in progress.
- `report_render` is idempotent: it locks the row, skips a job that is finished or fresh in another
  worker's hands, renders outside the lock, and writes the file and the row together under the lock
  only if its attempt still owns the job, via a temporary file and `os.replace` (a half-written PDF is
  never served).
- `report_sweep` re-dispatches queued jobs whose message may be lost and running jobs whose worker
  died; after MAX_ATTEMPTS it marks them failed instead of trying for ever.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import uuid
from pathlib import Path

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from assessments.models import Assessment
from core.pdf import render_pdf
from core.periods import validate_period
from forces.models import Region
from reports import context as report_context
from reports.models import JobStatus, ReportJob, ReportKind
from reports.permissions import can_request_accountability, can_request_national
from threats.models import Edition

logger = logging.getLogger(__name__)

#: Celery limits of render_report (seconds). A render past the soft limit fails with a message; the
#: hard limit kills the worker child, and the sweeper picks the job up again.
SOFT_TIME_LIMIT = 120
HARD_TIME_LIMIT = 150
#: A running job older than this has lost its worker (the hard limit would have ended it).
RUNNING_STALE_AFTER = dt.timedelta(seconds=HARD_TIME_LIMIT + 30)
#: A queued job dispatched this long ago without starting: its message is presumed lost.
QUEUED_STALE_AFTER = dt.timedelta(minutes=10)
#: A job created this recently is being dispatched by its own request; the sweeper leaves it alone.
QUEUED_GRACE = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 3
#: The Celery task that renders one job (reports.tasks.render_report).
RENDER_TASK = "reports.render_report"
QUEUE_DOWN_MESSAGE = "The report is queued and will be built when the queue is back"


class TransientError(Exception):
    """Worth retrying: the database or the file system hiccupped."""


TRANSIENT_ERRORS = (OperationalError, InterfaceError, TransientError)


# --- Requesting -----------------------------------------------------------------------------------


def _subject(*, user, kind, assessment, edition, period, region):
    """Check the user may see the subject; return the lookup that identifies it and its input hash."""
    if kind == ReportKind.ACCOUNTABILITY:
        if assessment is None:
            raise ValidationError({"assessment": "Choose the assessment to report on"})
        pk = assessment.pk if isinstance(assessment, Assessment) else assessment
        found = Assessment.objects.select_related("snapshot").filter(pk=pk).first()
        # Whoever can see an assessment may request its report, so one they may not request is one they
        # cannot see, which does not exist for them: 404, never 403.
        if found is None or not can_request_accountability(user, found):
            raise Http404("No such assessment")
        return {"assessment": found}, report_context.accountability_input_hash(found)
    if kind == ReportKind.NATIONAL:
        if not can_request_national(user):
            raise PermissionDenied("Only HMIC inspectors and national administrators can request the national overview")
        errors = {}
        if edition is None:
            errors["edition"] = "Choose the SPR edition"
        if not period:
            errors["period"] = "Enter the reporting period, like 2025/26"
        else:
            try:
                validate_period(period)
            except ValidationError as exc:
                errors["period"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        if not isinstance(edition, Edition):
            edition = Edition.objects.filter(code=edition).first()
            if edition is None:
                raise ValidationError({"edition": "Choose an SPR edition that exists"})
        if region is not None and not isinstance(region, Region):
            region = Region.objects.filter(code=region).first()
            if region is None:
                raise ValidationError({"region": "Choose a region that exists, or none for every region"})
        inputs = report_context.national_inputs(edition=edition, period=period, region=region)
        return {"edition": edition, "period": period, "region": region}, inputs.hash()
    raise ValidationError({"kind": "Choose a kind of report"})


def report_file(job: ReportJob) -> Path | None:
    """The built PDF on disk, if the job is done and the file is there."""
    if job.status != JobStatus.DONE or not job.file_path:
        return None
    path = Path(settings.REPORTS_ROOT) / job.file_path
    return path if path.is_file() else None


def report_request(*, user, kind, assessment=None, edition=None, period=None, region=None) -> tuple[ReportJob, bool]:
    """Ask for a report; returns (job, created).

    Raises Http404 for an assessment the user cannot see, PermissionDenied for a national overview
    by a force role, ValidationError for missing or unknown parameters. Never waits on the broker for
    more than the publish retry policy (about 2 s when it is down).
    """
    subject, input_hash = _subject(
        user=user, kind=kind, assessment=assessment, edition=edition, period=period, region=region
    )
    lookup = {"kind": kind, **subject}
    if kind == ReportKind.NATIONAL and subject["region"] is None:
        lookup["region__isnull"] = True
        del lookup["region"]
    with transaction.atomic():
        # Lock the subject so two identical requests at once make one job.
        if kind == ReportKind.ACCOUNTABILITY:
            Assessment.objects.select_for_update().filter(pk=subject["assessment"].pk).exists()
        else:
            Edition.objects.select_for_update().filter(pk=subject["edition"].pk).exists()
        candidates = ReportJob.objects.filter(**lookup, input_hash=input_hash).exclude(status=JobStatus.FAILED)
        for job in candidates.order_by("-created_at", "-id"):
            if job.status != JobStatus.DONE or report_file(job) is not None:
                return job, False
        job = ReportJob(**subject, kind=kind, requested_by=user, input_hash=input_hash)
        job.full_clean()
        job.save()
        transaction.on_commit(lambda: report_dispatch(job_id=job.pk))
    job.refresh_from_db()
    return job, True


def report_dispatch(*, job_id: int) -> bool:
    """Publish the job's id to the broker; records `dispatched_at` on success. A broker that is down
    leaves the job queued for the sweeper, and this returns False instead of raising."""
    try:
        # By name: the task module calls these services, so importing it here would make a circle.
        current_app.send_task(RENDER_TASK, args=(job_id,))
    except Exception:  # noqa: BLE001 — whatever the transport raises, the sweeper will try again
        logger.warning("Could not dispatch report job %s: the broker is unavailable", job_id, exc_info=True)
        return False
    # Whatever the status by now (a quick worker may already have started): only this column changes.
    ReportJob.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True


# --- Rendering --------------------------------------------------------------------------------------


def report_prepare(job: ReportJob) -> report_context.Prepared:
    """What the job's PDF will show, read now (a published assessment from its frozen snapshot)."""
    if job.kind == ReportKind.ACCOUNTABILITY:
        assessment = Assessment.objects.select_related("snapshot").get(pk=job.assessment_id)
        return report_context.accountability_prepare(assessment)
    region = Region.objects.get(pk=job.region_id) if job.region_id else None
    inputs = report_context.national_inputs(edition=job.edition, period=job.period, region=region)
    return report_context.national_prepare(inputs)


def _write_atomically(name: str, content: bytes) -> Path:
    root = Path(settings.REPORTS_ROOT)
    target = root / name
    temporary = root / f".{name}.{uuid.uuid4().hex}.tmp"
    try:
        root.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise TransientError(f"Could not write the report file: {exc.strerror or exc}") from exc
    return target


def _owned(job_id: int, attempt: int):
    return ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)


def report_render(*, job_id: int, worker: str, pause: float = 0.0, task_id: str = "") -> str:
    """Build the job's PDF if nobody else is; returns what happened ("done", "finished", "busy",
    "missing", "superseded", "failed"). Raises TRANSIENT_ERRORS for the task to retry; any other exception
    is left for the task's failure hook, which marks the job failed.

    A job running fresh under another task is "busy". One running under this same `task_id` is this
    message delivered again, which the broker does only when the worker that ran it was lost (a
    killed worker child: late acknowledgement, rejected on worker loss), so this delivery takes over
    at once instead of leaving the job to the sweeper minutes later."""
    now = timezone.now()
    with transaction.atomic():
        job = ReportJob.objects.select_for_update(of=("self",)).select_related("edition").filter(pk=job_id).first()
        if job is None:
            return "missing"
        if job.is_finished:
            return "finished"
        redelivered = bool(task_id) and job.status == JobStatus.RUNNING and job.task_id == task_id
        if (
            job.status == JobStatus.RUNNING
            and not redelivered
            and job.started_at
            and now - job.started_at < RUNNING_STALE_AFTER
        ):
            return "busy"
        if redelivered and job.attempts >= MAX_ATTEMPTS:
            # A job that kills its worker every time must not be redelivered for ever.
            job.status = JobStatus.FAILED
            job.error = (
                f"The report could not be built after {job.attempts} attempts: the worker stopped each time. "
                f"Tell the service desk the report number, {job.pk}."
            )
            job.finished_at = now
            job.save(update_fields=["status", "error", "finished_at"])
            return "failed"
        if redelivered:
            logger.warning("Report job %s: its worker was lost during attempt %s; taking it over", job_id, job.attempts)
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = now
        job.worker = worker[:200]
        job.task_id = task_id[:255]
        job.progress = 5
        job.error = ""
        job.save(update_fields=["status", "attempts", "started_at", "worker", "task_id", "progress", "error"])
        attempt = job.attempts
    if pause:
        import time

        time.sleep(pause)
    prepared = report_prepare(job)
    _owned(job_id, attempt).update(progress=25)
    html = render_to_string(prepared.template, prepared.context)
    pdf = render_pdf(html, title=prepared.title, identifier=prepared.identifier)
    if pdf.fetches.refused:
        logger.warning("Report job %s: %d fetches refused while rendering", job_id, len(pdf.fetches.refused))
    _owned(job_id, attempt).update(progress=90)
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != JobStatus.RUNNING or job.attempts != attempt:
            # The sweeper gave the job to another attempt: that one records the result.
            return "superseded"
        # The creation time keeps names unique across databases sharing one REPORTS_ROOT (ids are not).
        name = f"report-{job.pk}-{job.created_at:%Y%m%dT%H%M%S%f}.pdf"
        _write_atomically(name, pdf.content)
        job.status = JobStatus.DONE
        job.progress = 100
        job.file_path = name
        job.sha256 = hashlib.sha256(pdf.content).hexdigest()
        job.size = len(pdf.content)
        job.pages = pdf.pages
        # What the PDF shows, read at render time (it may have moved on since the request).
        job.input_hash = prepared.input_hash
        job.finished_at = timezone.now()
        job.save(
            update_fields=["status", "progress", "file_path", "sha256", "size", "pages", "input_hash", "finished_at"]
        )
    logger.info("Report job %s built: %d pages, %d bytes", job_id, pdf.pages, len(pdf.content))
    return "done"


def report_requeue(*, job_id: int) -> None:
    """Before a retry: hand the job back to the queue so the retried task may take it."""
    ReportJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.QUEUED, progress=0, dispatched_at=timezone.now()
    )


def failure_message(job_id: int, exc: BaseException) -> str:
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, SoftTimeLimitExceeded):
        return f"The report took longer than {SOFT_TIME_LIMIT} seconds to build, so it was stopped. Try again later."
    if isinstance(exc, TRANSIENT_ERRORS):
        return "The report could not be built because the database or disk was unavailable. Try again later."
    return (
        f"The report could not be built because of an unexpected error ({exc.__class__.__name__}). "
        f"Try again; if it fails again, tell the service desk the report number, {job_id}."
    )


def report_fail(*, job_id: int, message: str) -> None:
    """Mark a job failed (unless it already finished) with words a user can act on."""
    ReportJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(
        status=JobStatus.FAILED, error=message, finished_at=timezone.now()
    )


# --- Sweeping ---------------------------------------------------------------------------------------


def report_sweep(
    *,
    queued_after: dt.timedelta = QUEUED_STALE_AFTER,
    running_after: dt.timedelta = RUNNING_STALE_AFTER,
    grace: dt.timedelta = QUEUED_GRACE,
) -> dict[str, int]:
    """Re-dispatch jobs stranded by a lost message or a killed worker; returns counts.

    Safe to run at any time and from several places at once: a job dispatched twice is built once,
    because render_report locks the row and checks its status.
    """
    now = timezone.now()
    counts = {"dispatched": 0, "requeued": 0, "failed": 0, "undispatched": 0}
    with transaction.atomic():
        stale_running = list(
            ReportJob.objects.select_for_update(skip_locked=True).filter(
                status=JobStatus.RUNNING, started_at__lt=now - running_after
            )
        )
        for job in stale_running:
            if job.attempts >= MAX_ATTEMPTS:
                job.status = JobStatus.FAILED
                job.error = (
                    f"The report could not be built after {job.attempts} attempts: the worker stopped each time. "
                    f"Tell the service desk the report number, {job.pk}."
                )
                job.finished_at = now
                job.save(update_fields=["status", "error", "finished_at"])
                counts["failed"] += 1
                continue
            job.status = JobStatus.QUEUED
            job.progress = 0
            job.dispatched_at = None
            job.save(update_fields=["status", "progress", "dispatched_at"])
            counts["requeued"] += 1
        stuck = (
            ReportJob.objects.select_for_update(skip_locked=True)
            .filter(status=JobStatus.QUEUED)
            .filter(
                Q(dispatched_at__isnull=True, created_at__lt=now - grace)
                | Q(dispatched_at__lt=now - queued_after)
                | Q(pk__in=[job.pk for job in stale_running])
            )
            .values_list("pk", flat=True)
        )
        to_dispatch = list(stuck)
    for job_id in to_dispatch:
        if report_dispatch(job_id=job_id):
            counts["dispatched"] += 1
        else:
            counts["undispatched"] += 1
            break  # the broker is down: the next sweep tries the rest
    if any(counts.values()):
        logger.info("Report sweep: %s", counts)
    return counts
