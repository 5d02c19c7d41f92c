"""Reports in the browser, built by a real Celery worker: the PCC asks for the accountability report
and the status page updates itself (htmx) until the PDF can be downloaded; the inspector, without
JavaScript, asks for the national overview and refreshes the status page until it is ready. axe-core
runs on the status page while the job is waiting and once it is done."""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.models import AssessmentStatus
from demo.accounts import demo_accounts_create
from reports.models import ReportJob
from tests.e2e.conftest import assert_accessible, sign_in
from tests.workflow_support import advance, make_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.worker]

#: How long a report may take to be built by the test worker, in seconds.
READY_WITHIN = 90


@pytest.fixture
def published(forces, spr2012, settings):
    """West Midlands' 2025/26 assessment, published, with the demo accounts."""
    demo_accounts_create()
    users = get_user_model().objects
    people = {role: users.get(username=f"{role}-west-midlands") for role in ("staff", "chief", "pcc")}
    assessment = make_assessment(user=people["staff"], force=forces["west-midlands"], edition=spr2012, period="2025/26")
    return settings.SPR_DEMO_PASSWORD, advance(assessment, AssessmentStatus.PUBLISHED, **people)


def test_pcc_generates_the_accountability_report_and_the_status_page_updates_itself(
    celery_worker_process, page, live_server, published
):
    password, assessment = published
    sign_in(page, live_server, "pcc-west-midlands", password)
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/")
    page.get_by_role("button", name=re.compile("Generate PDF")).click()

    assert re.search(r"/reports/\d+/$", page.url), page.url
    assert page.get_by_role("heading", level=1).inner_text().startswith("West Midlands Police")
    assert_accessible(page)  # waiting (or already done: the worker is quick)

    # No reload: htmx swaps the status panel in until the download appears. A mark left on the window
    # survives only if the page was never reloaded.
    page.evaluate("window.sprNoReload = true")
    download_link = page.get_by_role("link", name=re.compile("Download the PDF"))
    download_link.wait_for(timeout=READY_WITHIN * 1000)
    assert page.locator("#report-status").get_by_text("Done").is_visible()
    assert page.evaluate("window.sprNoReload === true")
    assert_accessible(page)

    shown_hash = page.locator("#report-status .spr-hash").inner_text().strip()
    with page.expect_download() as download_info:
        download_link.click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(pdf).hexdigest() == shown_hash == ReportJob.objects.get().sha256


def test_inspector_without_javascript_refreshes_until_the_national_overview_is_ready(
    celery_worker_process, nojs_page, live_server, published
):
    password, _ = published
    sign_in(nojs_page, live_server, "inspector", password)
    nojs_page.goto(f"{live_server.url}/national/")
    nojs_page.get_by_role("button", name=re.compile("Generate PDF")).click()
    assert re.search(r"/reports/\d+/$", nojs_page.url), nojs_page.url

    deadline = time.monotonic() + READY_WITHIN
    download_link = nojs_page.get_by_role("link", name=re.compile("Download the PDF"))
    while not download_link.count():
        assert time.monotonic() < deadline, "the national overview was not ready in time"
        nojs_page.get_by_role("link", name="Refresh").click()  # the page's own refresh link
        time.sleep(1)
    assert nojs_page.locator("#report-status").get_by_text("Done").is_visible()
    job = ReportJob.objects.get()
    assert job.kind == "national" and job.status == "done"
    assert download_link.get_attribute("href") == f"/reports/{job.pk}/download/"
