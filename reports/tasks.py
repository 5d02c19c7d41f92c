"""Celery tasks of the reports app. They take ids and call one service; the job row holds the state.

Test hook: SPR_REPORTS_TEST_RENDER_DELAY (seconds) makes render_report pause after marking the job
running and before rendering, so a test can kill the worker mid-render. It is honoured only when
settings.DEBUG or settings.TESTING is on, never in production.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os

from celery import Task, shared_task
from django.conf import settings

from reports import services


def _test_delay() -> float:
    if not (settings.DEBUG or getattr(settings, "TESTING", False)):
        return 0.0
    try:
        return max(0.0, float(os.environ.get("SPR_REPORTS_TEST_RENDER_DELAY", "0") or 0))
    except ValueError:
        return 0.0


class ReportTask(Task):
    """Marks the job failed, in words, when the task gives up (a non-transient error, retries spent or
    the soft time limit)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = args[0] if args else kwargs.get("job_id")
        if job_id is not None:
            services.report_fail(job_id=job_id, message=services.failure_message(job_id, exc))


@shared_task(
    bind=True,
    base=ReportTask,
    name=services.RENDER_TASK,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.SOFT_TIME_LIMIT,
    time_limit=services.HARD_TIME_LIMIT,
    max_retries=3,
    ignore_result=True,
)
def render_report(self, job_id: int) -> str:
    """Build one report's PDF. Safe to run twice for the same job (see services.report_render)."""
    worker = f"{self.request.hostname or 'local'}:{os.getpid()}"
    try:
        return services.report_render(job_id=job_id, worker=worker, pause=_test_delay(), task_id=self.request.id or "")
    except services.TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            raise
        # If the database is still away, the sweeper will find the job running too long instead.
        with contextlib.suppress(*services.TRANSIENT_ERRORS):
            services.report_requeue(job_id=job_id)
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc


@shared_task(name="reports.sweep_stuck_reports", ignore_result=True)
def sweep_stuck_reports(queued_after: float | None = None, running_after: float | None = None) -> dict:
    """Every minute (CELERY_BEAT_SCHEDULE): re-dispatch report jobs a lost message or a killed worker
    stranded. The limits (seconds) default to services.QUEUED_STALE_AFTER and RUNNING_STALE_AFTER."""
    options = {}
    if queued_after is not None:
        options["queued_after"] = dt.timedelta(seconds=queued_after)
        options["grace"] = dt.timedelta(seconds=min(queued_after, services.QUEUED_GRACE.total_seconds()))
    if running_after is not None:
        options["running_after"] = dt.timedelta(seconds=running_after)
    return services.report_sweep(**options)
