"""Issue 15's reports in the browser, built by a real Celery worker: Dyfed-Powys's PCC asks for the
accountability report of the first period under the fixture edition; the PDF says the edition
changed, compares through the mapping and lists the requirement that is new. axe-core runs on the
report's status page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from assessments.models import AssessmentStatus
from demo.accounts import demo_accounts_create
from tests.capabilities.editions_support import publish_fixture_edition
from tests.e2e.conftest import assert_accessible, sign_in
from tests.workflow_support import advance, make_assessment

pytestmark = [pytest.mark.e2e, pytest.mark.worker]

READY_WITHIN = 90


def test_pcc_report_across_the_edition_change(celery_worker_process, page, live_server, forces, spr2012, settings):
    demo_accounts_create()
    users = get_user_model().objects
    people = {role: users.get(username=f"{role}-dyfed-powys") for role in ("staff", "chief", "pcc")}
    new = publish_fixture_edition(users.get(username="admin"))
    force = forces["dyfed-powys"]
    advance(
        make_assessment(user=people["staff"], force=force, edition=spr2012, period="2025/26"),
        AssessmentStatus.PUBLISHED,
        **people,
    )
    first = make_assessment(user=people["staff"], force=force, edition=new, period="2026/27")
    first = advance(first, AssessmentStatus.PUBLISHED, **people)

    sign_in(page, live_server, "pcc-dyfed-powys", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/assessments/{first.pk}/")
    assert "New in this edition" in page.content()
    page.get_by_role("button", name=re.compile("Generate PDF")).click()
    download_link = page.get_by_role("link", name=re.compile("Download the PDF"))
    download_link.wait_for(timeout=READY_WITHIN * 1000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        download_link.click()
    path = Path(download_info.value.path())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)
    words = " ".join(text.stdout.split())
    assert "Edition change:" in words
    assert "compared through this edition’s mapping" in words
    assert "New since The Strategic Policing Requirement (July 2012)" in words
    assert "6.7" in words
