"""The assessment as an Excel workbook (issue 16): the export's layout, the round trip into a new draft
(preview, then one write of exactly the rows changed), rows refused one by one with nothing written,
the evidence library's upload rules, a draft changed since the preview, and who may import."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from assessments import services
from assessments.models import AssessmentStatus, Evidence, Response
from assessments.records import ResponseAnswer
from core.models import AuditEntry
from core.roles import Role
from tests.conftest import EICAR
from tests.factories import PDF_BYTES, make_assessment, make_link_evidence
from tests.workflow_support import advance

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ANSWERED = ("3.1(a)", "4.1(c)", "5.1(a)", "6.1", "3.1(b)")
#: The three answers changed in the workbook: a new judgement (or None: left alone) and narrative.
CHANGED = {"3.1(a)": "Partially assured", "4.1(c)": None, "5.1(a)": "Not assured"}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def last_year(forces, spr2012, staff_user, media):
    """West Midlands' 2024/25 assessment, five requirements answered (one with evidence, one narrative
    that looks like a formula, one with a browser's line breaks), with a departure and an action."""
    home = forces["west-midlands"]
    assessment = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    item = make_link_evidence(user=staff_user, force=home, title="CONTEST delivery plan")
    for index, ref in enumerate(ANSWERED):
        response = assessment.responses.get(requirement__ref=ref)
        services.response_update(
            user=staff_user,
            response=response,
            expected_version=1,
            answer=ResponseAnswer(
                judgement="partially_assured" if index % 2 else "assured",
                narrative={3: "=SUM(A1:A9) is how we count", 4: "Typed in a browser\r\nover two lines"}.get(
                    index, f"Narrative for {ref}"
                ),
                evidence_ids=[item.id] if index == 0 else None,
            ),
        )
    requirement = assessment.responses.get(requirement__ref="4.1(c)").requirement
    services.departure_save(
        user=staff_user,
        assessment=assessment,
        requirement=requirement,
        departing_party="chief_constable",
        circumstances="c",
        reasons="r",
        alternative_arrangements="a",
        residual_risk="low",
        review_date=dt.date(2026, 3, 31),
    )
    services.action_save(
        user=staff_user,
        assessment=assessment,
        requirement=requirement,
        gap="No regional exercise",
        description="Run one\r\nwith the fire service",
        owner="ACC Operations",
        due_date=dt.date(2025, 6, 30),
    )
    return assessment


@pytest.fixture
def draft(last_year, staff_user):
    """This year's draft, started from last year's answers (judgements kept)."""
    return make_assessment(
        user=staff_user,
        force=last_year.force,
        edition=last_year.edition,
        period="2025/26",
        start_from_previous=True,
        keep_judgements=True,
    )


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _row_of(ws, ref: str) -> int:
    return next(cell.row for cell in ws["A"] if cell.value == ref)


def _column_of(ws, header: str) -> int:
    return next(cell.column for cell in ws[1] if cell.value == header)


def _upload(book, name: str = "answers.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def _api_url(assessment, dry_run: bool = False) -> str:
    url = reverse("api-assessment-workbook", kwargs={"pk": assessment.pk})
    return url + ("?dry_run=1" if dry_run else "")


def _counts(assessment) -> tuple[int, int, list[int]]:
    return (
        Response.history.filter(assessment_id=assessment.pk).count(),
        AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD).count(),  # changes, not the refusals and downloads
        list(assessment.responses.order_by("id").values_list("version", flat=True)),
    )


def _changed_workbook(client, source) -> object:
    """The source's export with three answers changed, as a person would in Excel."""
    book = _book(client.get(_api_url(source)).content)
    ws = book["Responses"]
    judgement, narrative = _column_of(ws, "Judgement"), _column_of(ws, "Narrative")
    for ref, label in CHANGED.items():
        row = _row_of(ws, ref)
        if label:
            ws.cell(row=row, column=judgement, value=label)
        ws.cell(row=row, column=narrative, value=f"Updated for 2025/26: {ref}")
    return book


# --- Export ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_has_four_sheets_readable_labels_dates_and_a_frozen_bold_header(staff_client, last_year):
    response = staff_client.get(reverse("assessments:workbook", kwargs={"pk": last_year.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert 'filename="west-midlands-2024-25-spr-2012.xlsx"' in response["Content-Disposition"]
    book = _book(response.content)
    assert book.sheetnames == ["Responses", "Evidence", "Departures", "Actions"]
    ws = book["Responses"]
    assert ws["A1"].value == "Paragraph reference"
    assert ws["A1"].font.b
    assert ws.freeze_panes == "B2"
    assert ws.max_row == last_year.responses.count() + 1
    refs = [cell.value for cell in ws["A"][1:]]
    in_order = last_year.responses.order_by("requirement__position")
    assert refs == list(in_order.values_list("requirement__ref", flat=True))
    row = _row_of(ws, "4.1(c)")
    assert ws.cell(row=row, column=_column_of(ws, "Judgement")).value == "Partially assured"
    assert ws.cell(row=row, column=_column_of(ws, "Status")).value == "Completed"
    # A narrative that looks like a formula is kept as words, never a formula.
    formula_like = ws.cell(row=_row_of(ws, "6.1"), column=_column_of(ws, "Narrative"))
    assert formula_like.value == "=SUM(A1:A9) is how we count"
    assert formula_like.data_type == "s"
    actions = book["Actions"]
    assert [cell.value for cell in actions[1]] == [
        "Paragraph reference",
        "Gap",
        "Description",
        "Owner",
        "Due date",
        "Status",
    ]
    assert actions["E2"].value == dt.datetime(2025, 6, 30)
    assert actions["E2"].is_date
    assert actions["F2"].value == "Not started"
    assert book["Departures"]["B2"].value == "Chief constable"
    assert book["Evidence"]["C2"].value == "CONTEST delivery plan"
    assert ws.column_dimensions["C"].width > ws.column_dimensions["A"].width


@pytest.mark.django_db
def test_assessment_page_offers_the_download_and_import_to_editors_only(staff_client, chief_client, draft):
    url = reverse("assessments:detail", kwargs={"pk": draft.pk})
    staff_page = staff_client.get(url).content.decode()
    chief_page = chief_client.get(url).content.decode()

    assert reverse("assessments:workbook", kwargs={"pk": draft.pk}) in staff_page
    assert "govuk-button--secondary" in staff_page
    assert reverse("assessments:workbook-import", kwargs={"pk": draft.pk}) in staff_page
    assert reverse("assessments:workbook", kwargs={"pk": draft.pk}) in chief_page
    assert reverse("assessments:workbook-import", kwargs={"pk": draft.pk}) not in chief_page


# --- Round trip ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_round_trip_previews_exactly_the_three_changed_rows_and_writes_only_them(staff_client, last_year, draft):
    book = _changed_workbook(staff_client, last_year)
    before = _counts(draft)

    preview = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})

    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["dry_run"] is True and body["written"] is False
    assert body["refusals"] == []
    assert sorted(change["reference"] for change in body["changes"]) == sorted(CHANGED)
    by_ref = {change["reference"]: change for change in body["changes"]}
    assert {f["field"] for f in by_ref["4.1(c)"]["fields"]} == {"narrative"}
    assert by_ref["3.1(a)"]["fields"][0] == {
        "field": "judgement",
        "label": "Judgement",
        "old": "Assured",
        "new": "Partially assured",
    }
    assert by_ref["3.1(a)"]["fields"][1]["old"] == "Narrative for 3.1(a)"
    assert _counts(draft) == before  # the preview wrote nothing

    imported = staff_client.post(_api_url(draft), {"file": _upload(book)})

    assert imported.status_code == 200, imported.content
    assert imported.json()["written"] is True
    history, audit, versions = _counts(draft)
    assert history == before[0] + 3
    assert audit == before[1] + 3
    assert sum(after != earlier for after, earlier in zip(versions, before[2], strict=True)) == 3
    answers = {r.requirement.ref: r for r in draft.responses.select_related("requirement", "judgement")}
    assert answers["5.1(a)"].judgement.label == "Not assured"
    assert answers["4.1(c)"].narrative == "Updated for 2025/26: 4.1(c)"
    assert answers["4.1(c)"].judgement.label == "Partially assured"  # its judgement cell was left alone
    assert answers["6.1"].narrative == "=SUM(A1:A9) is how we count"

    again = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})
    assert again.json()["changes"] == []  # everything in it is now the draft's answer


@pytest.mark.django_db
def test_page_preview_lists_the_changes_and_confirm_writes_them(staff_client, last_year, draft):
    book = _changed_workbook(staff_client, last_year)
    url = reverse("assessments:workbook-import", kwargs={"pk": draft.pk})
    before = _counts(draft)

    assert staff_client.get(url).status_code == 200
    preview = staff_client.post(url, {"file": _upload(book)})

    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Check the import" in page
    for ref in CHANGED:
        assert f"Updated for 2025/26: {ref}" in page
    assert "Import 3 answers" in page
    assert _counts(draft) == before
    token = preview.context["confirm"].initial["token"]

    confirmed = staff_client.post(reverse("assessments:workbook-confirm", kwargs={"pk": draft.pk}), {"token": token})

    assert confirmed.status_code == 302
    assert _counts(draft)[0] == before[0] + 3
    assert draft.responses.get(requirement__ref="3.1(a)").narrative == "Updated for 2025/26: 3.1(a)"


@pytest.mark.django_db
def test_a_draft_changed_since_the_preview_refuses_the_whole_import(staff_client, staff_user, last_year, draft):
    book = _changed_workbook(staff_client, last_year)
    preview = staff_client.post(
        reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)}
    )
    token = preview.context["confirm"].initial["token"]
    colleague_edit = draft.responses.get(requirement__ref="5.1(a)")
    services.response_update(
        user=staff_user,
        response=colleague_edit,
        expected_version=colleague_edit.version,
        answer=ResponseAnswer(narrative="A colleague's words"),
    )
    before = _counts(draft)

    confirmed = staff_client.post(reverse("assessments:workbook-confirm", kwargs={"pk": draft.pk}), {"token": token})

    assert confirmed.status_code == 409
    assert "(5.1(a)) has changed in the draft since you previewed the import" in confirmed.content.decode()
    assert _counts(draft) == before
    assert draft.responses.get(requirement__ref="5.1(a)").narrative == "A colleague's words"


# --- Refusals ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bad_judgement_unknown_requirement_and_formula_are_refused_row_by_row_nothing_written(
    staff_client, last_year, draft
):
    book = _changed_workbook(staff_client, last_year)
    ws = book["Responses"]
    judgement, narrative = _column_of(ws, "Judgement"), _column_of(ws, "Narrative")
    bad_judgement = _row_of(ws, "3.1(a)")
    ws.cell(row=bad_judgement, column=judgement, value="Brilliant")
    formula = _row_of(ws, "5.1(a)")
    ws.cell(row=formula, column=narrative, value="=1+1")
    unknown = ws.max_row + 1
    ws.cell(row=unknown, column=1, value="9.9(z)")
    ws.cell(row=unknown, column=narrative, value="Not a requirement")
    no_reference = unknown + 2  # after an empty row, which is passed over
    ws.cell(row=no_reference, column=narrative, value="Whose is this?")
    before = _counts(draft)

    preview = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})
    imported = staff_client.post(_api_url(draft), {"file": _upload(book)})

    refusals = {(r["sheet"], r["row"], r["reference"]): r["reason"] for r in preview.json()["refusals"]}
    assert set(refusals) == {
        ("Responses", bad_judgement, "3.1(a)"),
        ("Responses", formula, "5.1(a)"),
        ("Responses", unknown, "9.9(z)"),
        ("Responses", no_reference, ""),
    }
    assert "“Brilliant” is not a judgement" in refusals[("Responses", bad_judgement, "3.1(a)")]
    assert "formula" in refusals[("Responses", formula, "5.1(a)")]
    assert "has no requirement 9.9(z)" in refusals[("Responses", unknown, "9.9(z)")]
    assert [c["reference"] for c in preview.json()["changes"]] == ["4.1(c)"]
    assert imported.status_code == 400
    assert imported.json()["written"] is False
    assert refusals[("Responses", no_reference, "")] == "Enter the paragraph reference in column A"
    assert len(imported.json()["refusals"]) == 4
    assert _counts(draft) == before

    page = staff_client.post(reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)})
    assert "Some rows cannot be imported" in page.content.decode()
    assert page.context["confirm"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", PDF_BYTES, "must be an Excel workbook"),
        ("plan.xlsx", PDF_BYTES, "must end in .pdf"),
        ("notes.xlsx", b"", "is empty"),
    ],
)
def test_wrong_file_types_are_refused_like_evidence_uploads(staff_client, draft, name, content, message):
    before = _counts(draft)
    upload = SimpleUploadedFile(name, content, content_type=XLSX)

    response = staff_client.post(_api_url(draft, dry_run=True), {"file": upload})

    assert response.status_code == 400
    assert message in str(response.json())
    assert _counts(draft) == before


@pytest.mark.django_db
def test_an_oversized_workbook_is_refused_like_evidence_and_the_page_says_so(staff_client, last_year, draft, settings):
    book = _book(staff_client.get(_api_url(last_year)).content)
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024

    api = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})
    page = staff_client.post(reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)})

    assert api.status_code == 400
    assert "must be smaller than" in str(api.json()["file"])
    assert page.status_code == 400
    assert "<title>Error: " in page.content.decode()
    assert "must be smaller than" in page.content.decode()


# --- Who may -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_read_only_roles_cannot_import(chief_client, inspector_client, staff_client, last_year, draft):
    book = _changed_workbook(staff_client, last_year)
    import_page = reverse("assessments:workbook-import", kwargs={"pk": draft.pk})
    before = _counts(draft)

    assert chief_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)}).status_code == 403
    assert chief_client.post(_api_url(draft), {"file": _upload(book)}).status_code == 403
    assert chief_client.get(import_page).status_code == 403
    # An inspector never sees a draft at all.
    assert inspector_client.post(_api_url(draft), {"file": _upload(book)}).status_code == 404
    assert inspector_client.get(import_page).status_code == 404
    assert _counts(draft) == before


@pytest.mark.django_db
def test_another_forces_assessment_is_404_for_download_and_import(other_staff_client, staff_client, last_year, draft):
    book = _changed_workbook(staff_client, last_year)

    assert other_staff_client.get(_api_url(last_year)).status_code == 404
    assert other_staff_client.get(reverse("assessments:workbook", kwargs={"pk": last_year.pk})).status_code == 404
    assert other_staff_client.post(_api_url(draft), {"file": _upload(book)}).status_code == 404
    assert (
        other_staff_client.post(
            reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)}
        ).status_code
        == 404
    )


# --- An action plan ------------------------------------------------------------------------------------


def _action_plan(client, source):
    """The source's export with its action moved on and a new action added on the Actions sheet."""
    book = _book(client.get(_api_url(source)).content)
    ws = book["Actions"]
    ws.cell(row=2, column=_column_of(ws, "Status"), value="In progress")
    ws.cell(row=2, column=_column_of(ws, "Owner"), value="Head of Operations")
    ws.append(["5.1(a)", "No cyber exercise", "Hold a table-top exercise", "Cyber lead", dt.datetime(2026, 1, 31)])
    return book


@pytest.mark.django_db
def test_an_action_plan_changes_the_matching_action_and_adds_the_new_one(staff_client, last_year, draft):
    book = _action_plan(staff_client, last_year)
    (copied,) = draft.actions.all()
    history = copied.history.model.objects.count()

    preview = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})

    changes = preview.json()["changes"]
    assert [(c["sheet"], c["row"], c["record"]) for c in changes] == [("Actions", 2, copied.pk), ("Actions", 3, None)]
    assert {f["field"]: (f["old"], f["new"]) for f in changes[0]["fields"]} == {
        "owner": ("ACC Operations", "Head of Operations"),
        "status": ("Not started", "In progress"),
    }
    assert draft.actions.count() == 1

    imported = staff_client.post(_api_url(draft), {"file": _upload(book)})

    assert imported.status_code == 200, imported.content
    copied.refresh_from_db()
    assert (copied.owner, copied.status) == ("Head of Operations", "in_progress")
    added = draft.actions.get(gap="No cyber exercise")
    assert (added.requirement.ref, added.due_date, added.status) == ("5.1(a)", dt.date(2026, 1, 31), "open")
    assert copied.history.model.objects.count() == history + 2
    assert last_year.actions.get().status == "open"  # last year's plan is untouched


@pytest.mark.django_db
def test_action_rows_with_a_bad_date_or_status_are_refused(staff_client, last_year, draft):
    book = _action_plan(staff_client, last_year)
    ws = book["Actions"]
    ws.cell(row=2, column=_column_of(ws, "Status"), value="Nearly there")
    ws.cell(row=3, column=_column_of(ws, "Due date"), value="next spring")
    count = draft.actions.count()

    response = staff_client.post(_api_url(draft), {"file": _upload(book)})

    assert response.status_code == 400
    reasons = {(r["sheet"], r["row"]): r["reason"] for r in response.json()["refusals"]}
    assert reasons[("Actions", 2)].startswith("Choose a status: Not started, In progress")
    assert reasons[("Actions", 3)] == "Enter the due date as a date, for example 31/03/2026"
    assert draft.actions.count() == count


@pytest.mark.django_db
def test_an_action_changed_since_the_preview_refuses_the_import(staff_client, staff_user, last_year, draft):
    book = _action_plan(staff_client, last_year)
    preview = staff_client.post(
        reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)}
    )
    token = preview.context["confirm"].initial["token"]
    services.action_save(user=staff_user, assessment=draft, action=draft.actions.get(), owner="Someone else")

    confirmed = staff_client.post(reverse("assessments:workbook-confirm", kwargs={"pk": draft.pk}), {"token": token})

    assert confirmed.status_code == 409
    assert "Actions row 2" in confirmed.content.decode()
    assert draft.actions.count() == 1
    assert draft.actions.get().owner == "Someone else"


def _with_entry(content: bytes, name: str, data: bytes) -> bytes:
    """The workbook's bytes with one more part in its zip."""
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_workbook_with_macros_is_refused_by_the_archive_checks(staff_client, last_year, draft):
    content = _with_entry(staff_client.get(_api_url(last_year)).content, "xl/vbaProject.bin", b"\x00" * 64)

    response = staff_client.post(
        _api_url(draft, dry_run=True), {"file": SimpleUploadedFile("answers.xlsx", content, content_type=XLSX)}
    )

    assert response.status_code == 400
    assert "contains macros" in response.json()["file"][0]


@pytest.mark.django_db
def test_the_virus_scanner_checks_a_workbook_before_it_is_read(staff_client, last_year, draft, settings, clamd_socket):
    settings.CLAMD_SOCKET, settings.CLAMD_HOST = clamd_socket, ""
    clean = staff_client.get(_api_url(last_year)).content
    infected = _with_entry(clean, "xl/media/readme.txt", EICAR)

    refused = staff_client.post(
        _api_url(draft, dry_run=True), {"file": SimpleUploadedFile("answers.xlsx", infected, content_type=XLSX)}
    )
    accepted = staff_client.post(
        _api_url(draft, dry_run=True), {"file": SimpleUploadedFile("answers.xlsx", clean, content_type=XLSX)}
    )

    assert refused.status_code == 400
    assert refused.json()["file"] == ["The file failed a virus scan"]
    assert accepted.status_code == 200


@pytest.mark.django_db
def test_export_reads_a_fixed_number_of_queries(staff_client, last_year, django_assert_max_num_queries):
    # assessment_content (capacity included), the assessment, its snapshot (none), the scale, the session
    # and user, and the download recorded in the audit chain (its head read and the entry written; on
    # PostgreSQL one more, the advisory lock that serialises the chain's writers).
    with django_assert_max_num_queries(26):
        response = staff_client.get(_api_url(last_year))
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_judgement_and_action_status_columns_offer_their_lists(staff_client, last_year):
    book = _book(staff_client.get(_api_url(last_year)).content)
    ws = book["Responses"]

    (validation,) = ws.data_validations.dataValidation
    assert validation.formula1 == '"Assured,Partially assured,Not assured,Not yet assessed"'
    letter = chr(ord("A") + _column_of(ws, "Judgement") - 1)
    assert str(validation.sqref) == f"{letter}2:{letter}{ws.max_row}"
    (statuses,) = book["Actions"].data_validations.dataValidation
    assert statuses.formula1 == '"Not started,In progress,Done,Cancelled"'
    assert str(statuses.sqref) == "F2:F502"


@pytest.mark.django_db
def test_a_published_assessment_exports_its_snapshot_and_cannot_be_imported_into(
    staff_client, staff_user, chief_user, pcc_user, last_year
):
    published = advance(last_year, AssessmentStatus.PUBLISHED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    item = Evidence.objects.get(title="CONTEST delivery plan")
    services.evidence_update(user=staff_user, evidence=item, title="Renamed after publication")
    book = _book(staff_client.get(_api_url(published)).content)

    assert book["Evidence"]["C2"].value == "CONTEST delivery plan"  # as HMIC was given it
    refused = staff_client.post(_api_url(published, dry_run=True), {"file": _upload(book)})
    page = staff_client.get(reverse("assessments:workbook-import", kwargs={"pk": published.pk}))
    assert refused.status_code == 409
    assert "published, so answers cannot be imported" in refused.json()["detail"]
    assert page.status_code == 409


# --- A workbook in a layout of its own -------------------------------------------------------------------


def _own_layout():
    """A force's own spreadsheet: a title sheet first, then the answers with other headings."""
    book = Workbook()
    book.active.title = "Cover"
    ws = book.create_sheet("SPR 2024-25")
    ws.append(["Commentary", "Para", "RAG"])
    ws.append(["Plan tested twice this year", "3.1(a)", "Assured"])
    ws.append(["Mutual aid list refreshed", "3.1(b)", "Partially assured"])
    ws.append(["", "12.1", "Assured"])
    return book


@pytest.mark.django_db
def test_a_workbook_of_its_own_layout_is_read_through_the_columns_named(staff_client, draft):
    fields = {"sheet": "SPR 2024-25", "reference_column": "B", "judgement_column": "c", "narrative_column": "A"}

    preview = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(_own_layout()), **fields})

    body = preview.json()
    assert preview.status_code == 200, body
    assert [(c["sheet"], c["row"], c["reference"]) for c in body["changes"]] == [
        ("SPR 2024-25", 2, "3.1(a)"),
        ("SPR 2024-25", 3, "3.1(b)"),
    ]
    assert [(r["sheet"], r["row"], r["reference"]) for r in body["refusals"]] == [("SPR 2024-25", 4, "12.1")]

    page = staff_client.post(
        reverse("assessments:workbook-import", kwargs={"pk": draft.pk}),
        {"file": _upload(_own_layout()), **fields, "sheet": "", "reference_column": "", "narrative_column": ""},
    )
    # The first sheet, column A: the cover sheet has no answers on it, so nothing changes.
    assert page.status_code == 200
    assert page.context["plan"].changes == []


@pytest.mark.django_db
def test_a_layout_of_its_own_needs_column_letters(staff_client, draft):
    api = staff_client.post(
        _api_url(draft, dry_run=True), {"file": _upload(_own_layout()), "sheet": "SPR 2024-25", "narrative_column": "7"}
    )
    page = staff_client.post(
        reverse("assessments:workbook-import", kwargs={"pk": draft.pk}),
        {"file": _upload(_own_layout()), "sheet": "SPR 2024-25"},
    )

    assert api.status_code == 400
    assert api.json()["narrative_column"] == ["Enter a column letter, such as C"]
    assert page.status_code == 400
    assert "Enter the column of the judgement, the narrative or the evidence" in page.content.decode()


@pytest.mark.django_db
def test_a_preview_token_is_good_only_for_its_user_and_unchanged(staff_client, make_user, last_year, draft):
    book = _changed_workbook(staff_client, last_year)
    preview = staff_client.post(
        reverse("assessments:workbook-import", kwargs={"pk": draft.pk}), {"file": _upload(book)}
    )
    token = preview.context["confirm"].initial["token"]
    colleague = Client()
    colleague.force_login(make_user(Role.PCC_STAFF, "west-midlands", "colleague"))
    confirm = reverse("assessments:workbook-confirm", kwargs={"pk": draft.pk})
    before = _counts(draft)

    tampered = staff_client.post(confirm, {"token": token[:-2] + "xx"})
    borrowed = colleague.post(confirm, {"token": token})

    for response in (tampered, borrowed):
        assert response.status_code == 400
        assert "The preview has expired. Upload the workbook again" in response.content.decode()
    assert _counts(draft) == before


@pytest.mark.django_db
def test_planning_reads_a_fixed_number_of_queries(staff_client, last_year, draft, django_assert_max_num_queries):
    book = _action_plan(staff_client, last_year)

    with django_assert_max_num_queries(16):
        response = staff_client.post(_api_url(draft, dry_run=True), {"file": _upload(book)})

    assert response.status_code == 200
    assert len(response.json()["changes"]) == 2
