"""PCC office staff download their draft as a spreadsheet, change an answer and an action in Excel
(here openpyxl), upload it, check the preview and import it; axe-core on every page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from assessments import services
from assessments.records import ResponseAnswer
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def kent_draft(forces, spr2012, settings, tmp_path):
    """Demo accounts, and Kent's 2025/26 draft started from 2024/25 (one answer, one action)."""
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_create()
    staff = get_user_model().objects.get(username="staff-kent")
    force = forces["kent"]
    last_year = make_assessment(user=staff, force=force, edition=spr2012, period="2024/25")
    services.response_update(
        user=staff,
        response=last_year.responses.get(requirement__ref="3.1(a)"),
        expected_version=1,
        answer=ResponseAnswer(judgement="partially_assured", narrative="The regional plan was tested once."),
    )
    services.action_save(
        user=staff,
        assessment=last_year,
        requirement="6.4",
        gap="No joint exercise with the fire service.",
        description="Hold a joint exercise.",
        owner="Head of Operations",
        due_date=dt.date(2099, 3, 31),
    )
    draft = make_assessment(
        user=staff, force=force, edition=spr2012, period="2025/26", start_from_previous=True, keep_judgements=True
    )
    return draft, settings.SPR_DEMO_PASSWORD


def _column(ws, header: str) -> int:
    return next(cell.column for cell in ws[1] if cell.value == header)


def test_staff_download_change_preview_and_import_a_workbook(page, live_server, kent_draft, tmp_path):
    draft, password = kent_draft
    sign_in(page, live_server, "staff-kent", password)
    page.goto(f"{live_server.url}/assessments/{draft.pk}/")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a spreadsheet (.xlsx)").click()
    assert download.value.suggested_filename == "kent-2025-26-spr-2012.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    book = load_workbook(saved)
    responses = book["Responses"]
    row = next(cell.row for cell in responses["A"] if cell.value == "3.1(a)")
    responses.cell(row=row, column=_column(responses, "Judgement"), value="Assured")
    responses.cell(row=row, column=_column(responses, "Narrative"), value="Tested again in March 2026.")
    actions = book["Actions"]
    actions.cell(row=2, column=_column(actions, "Status"), value="In progress")
    buffer = io.BytesIO()
    book.save(buffer)

    page.get_by_role("link", name="Import answers from a spreadsheet").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import answers from a workbook"
    assert_accessible(page)
    page.get_by_role("button", name="Preview the import").click()  # no file chosen
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Upload a workbook").set_input_files(
        files=[{"name": "kent.xlsx", "mimeType": XLSX, "buffer": buffer.getvalue()}]
    )
    page.get_by_role("button", name="Preview the import").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Check the import"
    changes = page.locator("#changes").inner_text()
    assert "Partially assured" in changes and "Tested again in March 2026." in changes
    assert "Not started" in changes and "In progress" in changes
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 answers").click()

    assert "2 answers imported from the workbook" in page.content()
    assert_accessible(page)
    answer = draft.responses.get(requirement__ref="3.1(a)")
    assert (answer.judgement.code, answer.narrative) == ("assured", "Tested again in March 2026.")
    assert draft.actions.get().status == "in_progress"
