"""Builders and readers shared by the report tests."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments import workflow
from assessments.models import Assessment, Response
from assessments.records import ResponseAnswer
from reports.models import JobStatus, ReportJob
from tests.factories import make_assessment, make_file_evidence, make_link_evidence
from tests.workflow_support import advance
from threats.models import JudgementLevel


def narrative_for(ref: str) -> str:
    return f"Narrative for {ref}: tested in Exercise Unified Response."


def rich_assessment(
    state: str, *, force, edition, staff, chief, pcc, period: str = "2025/26", narratives: dict | None = None
) -> Assessment:
    """An assessment in `state` with a distinct narrative per requirement, evidence (a link and a
    file), a departure, an action and, once submitted, a challenge with a reply (closed before
    sign-off). `narratives` overrides the narrative of chosen refs."""
    assessment = make_assessment(user=staff, force=force, edition=edition, period=period)
    assured = JudgementLevel.objects.get(edition=edition, code="assured")
    partial = JudgementLevel.objects.get(edition=edition, code="partially_assured")
    responses = list(assessment.responses.select_related("requirement").order_by("requirement__position"))
    for index, response in enumerate(responses):
        text = (narratives or {}).get(response.requirement.ref, narrative_for(response.requirement.ref))
        Response.objects.filter(pk=response.pk).update(
            judgement=partial if index == 1 else assured, narrative=text, version=response.version + 1
        )
    link = make_link_evidence(user=staff, force=force, title="Force CONTEST delivery plan")
    document = make_file_evidence(user=staff, force=force, title="Mutual aid test report")
    first = Response.objects.get(pk=responses[0].pk)
    assessment_services.response_update(
        user=staff,
        response=first,
        expected_version=first.version,
        answer=ResponseAnswer(evidence_ids=[link.id, document.id]),
    )
    second_ref = responses[1].requirement.ref
    assessment_services.departure_save(
        user=staff,
        assessment=assessment,
        requirement=second_ref,
        departing_party="chief_constable",
        circumstances="Regional firearms cover is shared with two neighbours.",
        reasons="Demand is too low to justify a full team.",
        alternative_arrangements="Collaboration agreement with neighbouring forces.",
        residual_risk="Response times of up to 40 minutes at night.",
        review_date=dt.date(2026, 3, 31),
    )
    assessment_services.action_save(
        user=staff,
        assessment=assessment,
        requirement=second_ref,
        gap="No tested plan for a second concurrent incident.",
        description="Run a tabletop exercise with the LRF.",
        owner="Head of Operations",
        due_date=dt.date(2025, 6, 30),
    )
    if state == "draft":
        return Assessment.objects.get(pk=assessment.pk)
    assessment = workflow.assessment_submit(user=staff, assessment=assessment)
    challenge = workflow.challenge_raise(
        user=pcc, assessment=assessment, text="How was the mutual aid test scored?", response=first
    )
    workflow.challenge_reply(user=chief, challenge=challenge, text="Against the national mobilisation standard.")
    if state != "submitted":
        workflow.challenge_close(user=pcc, challenge=challenge, note="Answered.")
    return advance(assessment, state, staff=staff, chief=chief, pcc=pcc)


# --- Reading PDFs -------------------------------------------------------------------------------------


def job_path(job: ReportJob) -> Path:
    return Path(settings.REPORTS_ROOT) / job.file_path


def pdf_reader(job: ReportJob) -> PdfReader:
    return PdfReader(io.BytesIO(job_path(job).read_bytes()))


def page_texts(job: ReportJob) -> list[str]:
    """The text of each page, by poppler's pdftotext (pypdf's extraction is ten times slower here)."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(job_path(job)), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = out.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


#: Headings of the reports that must never end a page (they would be stranded from what they introduce).
HEADINGS = {
    "Narrative",
    "Evidence",
    "Actions",
    "Departures",
    "Challenges and replies",
    "Live departures",
    "Summary by region",
    "What is not assured, and why",
    "How to read the heat maps",
}


def stranded_headings(job: ReportJob) -> list[tuple[int, str]]:
    """(page, line) for every page whose last line of body text is a heading or a requirement's
    heading and facts line ("Judgement: Assured") without its text."""
    import re

    found = []
    for number, text in enumerate(page_texts(job), start=1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [
            line
            for line in lines
            if not re.fullmatch(r"(OFFICIAL-SENSITIVE|Page \d+ of \d+|DRAFT — not published)", line)
        ]
        if not body:
            continue
        last = body[-1]
        if last in HEADINGS or re.search(r"Judgement: [\w ]+$", last) or re.fullmatch(r"[\d.()a-z]+: [\w ]+", last):
            found.append((number, last))
    return found


# --- Workers -------------------------------------------------------------------------------------------


def wait_for_status(job_id: int, statuses=(JobStatus.DONE, JobStatus.FAILED), timeout: float = 60) -> ReportJob:
    """Poll the row; a message another test run's worker took from a shared broker folder is swept
    back after a few seconds so the test does not wait the sweeper's ten minutes."""
    from reports.services import report_sweep

    deadline = time.monotonic() + timeout
    last_sweep = time.monotonic()
    while time.monotonic() < deadline:
        job = ReportJob.objects.get(pk=job_id)
        if job.status in statuses:
            return job
        if job.status == JobStatus.QUEUED and time.monotonic() - last_sweep > 10:
            report_sweep(queued_after=dt.timedelta(seconds=8), grace=dt.timedelta(seconds=8))
            last_sweep = time.monotonic()
        time.sleep(0.2)
    raise AssertionError(f"Job {job_id} still {ReportJob.objects.get(pk=job_id).status} after {timeout} s")


def start_worker(log: Path, *, queues: str = "celery", name: str, extra_env: dict | None = None, pool: str = "solo"):
    """A Celery worker subprocess in its own process group (so a test can SIGKILL all of it). With
    `pool="prefork"` it runs one child process, which a test can kill alone."""
    from tests.conftest import _database_url_for_worker

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": _database_url_for_worker(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "spr.settings",
            "SPR_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SPR_REPORTS_ROOT": str(settings.REPORTS_ROOT),
            **(extra_env or {}),
        }
    )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        env["SPR_BROKER_DIR"] = str(settings.BROKER_DIR)
    celery = Path(sys.executable).with_name("celery")
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "spr",
                "worker",
                f"--pool={pool}",
                *(["--concurrency=1"] if pool == "prefork" else []),
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queues,
                "-n",
                f"{name}@%h",
            ],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and b"ready." not in log.read_bytes():
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited at start:\n{log.read_text()}")
        time.sleep(0.2)
    return process


def stop_worker(process, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)
