"""Reports through a real Celery worker on the configured broker (the filesystem broker by default,
Redis with CELERY_BROKER_URL): end to end, a worker SIGKILLed mid-render, and the broker down.

These tests commit their rows (transaction=True) so the worker subprocess can read them.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import socket
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from assessments.models import Response
from reports import context as report_context
from reports.models import JobStatus, ReportJob
from reports.services import QUEUE_DOWN_MESSAGE
from reports.tasks import render_report, sweep_stuck_reports
from spr.celery import app
from tests.reports.support import job_path, narrative_for, page_texts, start_worker, stop_worker, wait_for_status

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _files_of(job: ReportJob) -> list[Path]:
    root = Path(settings.REPORTS_ROOT)
    return sorted(root.glob(f"report-{job.pk}-{job.created_at:%Y%m%dT%H%M%S%f}*")) + sorted(
        root.glob(f".report-{job.pk}-*.tmp")
    )


def test_a_real_worker_builds_the_accountability_report_once(celery_worker_process, staff_client, published):
    response = staff_client.post(
        "/api/v1/reports/", {"kind": "accountability", "assessment": published.pk}, content_type="application/json"
    )
    assert response.status_code == 202
    assert response.json()["dispatched_at"] is not None  # the broker took it

    job = wait_for_status(response.json()["id"])

    assert job.status == JobStatus.DONE, job.error
    assert job.attempts == 1 and job.progress == 100
    texts = page_texts(job)
    text = " ".join(" ".join(texts).split())
    assert "West Midlands Police" in text
    for response_row in Response.objects.filter(assessment=published).select_related("requirement"):
        assert response_row.requirement.ref in text
        assert narrative_for(response_row.requirement.ref) in text
    assert job.pages == len(texts) > 10
    assert f"Page 1 of {job.pages}" in texts[0] and f"Page {job.pages} of {job.pages}" in texts[-1]
    assert hashlib.sha256(job_path(job).read_bytes()).hexdigest() == job.sha256
    assert _files_of(job) == [job_path(job)]

    again = staff_client.post(
        "/api/v1/reports/", {"kind": "accountability", "assessment": published.pk}, content_type="application/json"
    ).json()
    assert again["id"] == job.pk and again["status"] == "done" and again["attempts"] == 1
    time.sleep(1)
    assert ReportJob.objects.get(pk=job.pk).attempts == 1  # nothing rendered it again
    assert ReportJob.objects.count() == 1


def test_a_worker_killed_mid_render_is_swept_and_the_job_completes_once(published, staff_user, tmp_path):
    queue = f"reports-kill-{uuid.uuid4().hex[:8]}"
    slow = start_worker(
        tmp_path / "slow.log", queues=queue, name=f"slow-{queue}", extra_env={"SPR_REPORTS_TEST_RENDER_DELAY": "60"}
    )
    fresh = None
    try:
        job = ReportJob.objects.create(
            kind="accountability",
            assessment=published,
            requested_by=staff_user,
            input_hash=report_context.accountability_input_hash(published),
        )
        render_report.apply_async((job.pk,), queue=queue)
        wait_for_status(job.pk, statuses=(JobStatus.RUNNING,), timeout=60)

        os.killpg(slow.pid, signal.SIGKILL)
        slow.wait(timeout=10)
        killed = ReportJob.objects.get(pk=job.pk)
        assert killed.status == JobStatus.RUNNING and killed.attempts == 1 and not killed.file_path

        fresh = start_worker(tmp_path / "fresh.log", name=f"fresh-{queue}")
        counts = sweep_stuck_reports(running_after=0)
        assert counts["requeued"] == 1 and counts["dispatched"] == 1

        done = wait_for_status(job.pk, timeout=90)
        assert done.status == JobStatus.DONE, done.error
        assert done.attempts == 2
        assert _files_of(done) == [job_path(done)]
        assert hashlib.sha256(job_path(done).read_bytes()).hexdigest() == done.sha256
        # Sweeping again finds nothing to do, and nothing runs a third time.
        assert sweep_stuck_reports(running_after=0, queued_after=0) == {
            "dispatched": 0,
            "requeued": 0,
            "failed": 0,
            "undispatched": 0,
        }
        assert ReportJob.objects.get(pk=job.pk).attempts == 2
    finally:
        stop_worker(slow, signal.SIGKILL)
        if fresh is not None:
            stop_worker(fresh)


def test_a_killed_worker_child_is_redelivered_and_finished_within_60_s_without_the_sweeper(
    published, staff_user, tmp_path
):
    """Issue 13: the redelivered task used to be dropped as "busy", leaving the job to the sweeper
    about 240 s later. The message comes back (late acknowledgement, rejected on worker loss) with the
    same task id, and that delivery takes the job over at once."""
    queue = f"reports-child-{uuid.uuid4().hex[:8]}"
    worker = start_worker(
        tmp_path / "prefork.log",
        queues=queue,
        name=f"prefork-{queue}",
        pool="prefork",
        extra_env={"SPR_REPORTS_TEST_RENDER_DELAY": "6"},
    )
    try:
        job = ReportJob.objects.create(
            kind="accountability",
            assessment=published,
            requested_by=staff_user,
            input_hash=report_context.accountability_input_hash(published),
        )
        render_report.apply_async((job.pk,), queue=queue)
        running = wait_for_status(job.pk, statuses=(JobStatus.RUNNING,), timeout=60)
        child = int(running.worker.rsplit(":", 1)[1])
        assert child != worker.pid

        os.kill(child, signal.SIGKILL)
        killed_at = time.monotonic()

        # No sweeper runs here (no beat, and it would wait RUNNING_STALE_AFTER anyway): only the
        # redelivered message can finish the job.
        while time.monotonic() - killed_at < 60:
            done = ReportJob.objects.get(pk=job.pk)
            if done.status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - killed_at

        assert done.status == JobStatus.DONE, (done.status, done.error, (tmp_path / "prefork.log").read_text()[-3000:])
        assert elapsed < 60
        assert done.attempts == 2 and done.worker != running.worker
        assert done.task_id == running.task_id  # the same message, delivered again
        assert _files_of(done) == [job_path(done)]
        assert hashlib.sha256(job_path(done).read_bytes()).hexdigest() == done.sha256
        assert "taking it over" in (tmp_path / "prefork.log").read_text()
    finally:
        stop_worker(worker, signal.SIGKILL)


def test_a_redelivery_of_a_job_that_killed_its_worker_every_time_fails_it_instead_of_looping(published, staff_user):
    from reports.services import MAX_ATTEMPTS, report_render

    job = ReportJob.objects.create(
        kind="accountability",
        assessment=published,
        requested_by=staff_user,
        input_hash="0" * 64,
        status=JobStatus.RUNNING,
        attempts=MAX_ATTEMPTS,
        task_id="task-1",
        started_at=timezone.now(),
    )

    assert report_render(job_id=job.pk, worker="w:1", task_id="task-2") == "busy"
    assert report_render(job_id=job.pk, worker="w:1", task_id="task-1") == "failed"
    failed = ReportJob.objects.get(pk=job.pk)
    assert failed.status == JobStatus.FAILED and "the worker stopped each time" in failed.error


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


#: What settings give a Redis broker (spr/settings.py); the filesystem broker has no socket options.
REDIS_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 2}


@contextlib.contextmanager
def broker_at(url: str):
    """Point settings and the Celery app at another broker, dropping pooled connections both ways."""
    saved = (settings.CELERY_BROKER_URL, app.conf.broker_url, app.conf.broker_transport_options)
    saved_env = os.environ.get("CELERY_BROKER_URL")

    def reset_pools():
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = app.conf.broker_url = url
    app.conf.broker_transport_options = REDIS_OPTIONS
    reset_pools()
    try:
        yield
    finally:
        settings.CELERY_BROKER_URL, app.conf.broker_url, app.conf.broker_transport_options = saved
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        reset_pools()


def test_with_the_broker_down_the_request_answers_fast_and_the_sweeper_dispatches_later(
    celery_worker_process, staff_client, published
):
    with broker_at(f"redis://127.0.0.1:{_free_port()}/0"):
        started = time.monotonic()
        response = staff_client.post(
            "/api/v1/reports/", {"kind": "accountability", "assessment": published.pk}, content_type="application/json"
        )
        elapsed = time.monotonic() - started
        page = staff_client.get(f"/reports/{response.json()['id']}/")

    body = response.json()
    assert response.status_code == 202 and elapsed < 5, elapsed
    assert body["status"] == "queued" and body["dispatched_at"] is None and body["message"] == QUEUE_DOWN_MESSAGE
    assert QUEUE_DOWN_MESSAGE in page.content.decode()

    counts = sweep_stuck_reports(queued_after=0)

    assert counts["dispatched"] == 1
    job = wait_for_status(body["id"])
    assert job.status == JobStatus.DONE and job.attempts == 1
    assert _files_of(job) == [job_path(job)]


def test_a_broker_that_accepts_but_never_answers_does_not_hang_the_request(staff_client, published):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # connections complete in the kernel; nobody ever reads or answers
    try:
        with broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            started = time.monotonic()
            response = staff_client.post(
                "/api/v1/reports/",
                {"kind": "accountability", "assessment": published.pk},
                content_type="application/json",
            )
            elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert response.status_code == 202 and elapsed < 5, elapsed
    assert response.json()["message"] == QUEUE_DOWN_MESSAGE
    job = ReportJob.objects.get()
    assert job.status == JobStatus.QUEUED and job.dispatched_at is None
    job.delete()  # nothing else should pick it up later
