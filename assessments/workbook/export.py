"""Writing an assessment as an .xlsx workbook: one sheet per `layout.SHEETS`, a bold frozen header
row, dates as dates, column widths to suit, drop-downs of the judgement scale and of the actions'
statuses, and the protective marking in every page's header.

Text is always written as text: a narrative starting with "=" stays words, never a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from assessments.models import Assessment, Snapshot
from assessments.records import AssessmentContent, assessment_content
from assessments.snapshots import snapshot_content
from assessments.workbook.layout import ACTION_SHEET, RESPONSE_SHEET, SHEETS, Sheet
from threats.models import JudgementLevel

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


def workbook_filename(assessment: Assessment) -> str:
    """e.g. `west-midlands-2024-25-spr-2012.xlsx` (revision 2 and later say so)."""
    parts = [assessment.force.code, assessment.period.replace("/", "-"), assessment.edition.code]
    if assessment.revision > 1:
        parts.append(f"revision-{assessment.revision}")
    return slugify("-".join(parts)) + ".xlsx"


def workbook_bytes(content: AssessmentContent, *, judgements: Sequence[str] = ()) -> bytes:
    """The workbook of an assessment's content, as the bytes of an .xlsx file; `judgements`, the
    scale's labels, become the Judgement column's drop-down list."""
    book = Workbook()
    book.remove(book.active)
    context = {"requirements": content.requirements_by_ref()}
    for sheet in SHEETS:
        _write_sheet(book, sheet, content, context)
    _drop_down(book[RESPONSE_SHEET.name], RESPONSE_SHEET, "judgement", judgements, len(content.responses))
    statuses = list(ACTION_SHEET.column("status").choices.values())
    # An action plan may grow: the list reaches well past the actions there are.
    _drop_down(book[ACTION_SHEET.name], ACTION_SHEET, "status", statuses, len(content.actions) + 500)
    book.properties.title = f"{content.assessment.force.name} {content.assessment.period}"
    book.properties.creator = "SPR Assurance"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assessment_workbook(assessment: Assessment) -> bytes:
    """The assessment's workbook, read in a fixed number of queries: a published assessment's from
    its frozen snapshot (what HMIC was given), any other's from `assessment_content`."""
    snapshot = Snapshot.objects.filter(assessment_id=assessment.pk).first()
    content = snapshot_content(snapshot) if snapshot is not None else assessment_content(assessment)
    labels = JudgementLevel.objects.filter(edition_id=assessment.edition_id).order_by("position")
    return workbook_bytes(content, judgements=list(labels.values_list("label", flat=True)))


def _drop_down(ws, sheet: Sheet, key: str, labels: Sequence[str], rows: int) -> None:
    """A drop-down of `labels` on the column (Excel holds a list of at most 255 characters, with no
    commas in its items; labels that do not fit get none)."""
    labels = [str(label) for label in labels]
    formula = ",".join(labels)
    if not labels or rows == 0 or len(formula) > 255 or any("," in label or '"' in label for label in labels):
        return
    letter = get_column_letter(sheet.columns.index(sheet.column(key)) + 1)
    validation = DataValidation(type="list", formula1=f'"{formula}"', allow_blank=True)
    validation.error = str(_("Choose from the list"))
    validation.showErrorMessage = True
    ws.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}{rows + 1}")


def _write_sheet(book: Workbook, sheet: Sheet, content: AssessmentContent, context: dict) -> None:
    ws = book.create_sheet(sheet.name)
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index, value=str(column.header))
        cell.font = BOLD
        cell.alignment = TOP
        ws.column_dimensions[get_column_letter(index)].width = column.width
    for row, record in enumerate(sheet.rows(content), start=2):
        for index, column in enumerate(sheet.columns, start=1):
            value = column.cell_value(record, context)
            cell = ws.cell(row=row, column=index, value=value)
            if isinstance(value, str):
                # openpyxl takes text starting with "=" as a formula: this is someone's words.
                cell.data_type = TYPE_STRING
            if column.number_format:
                cell.number_format = column.number_format
            cell.alignment = WRAP if column.wide else TOP
    ws.freeze_panes = "B2"
    ws.oddHeader.center.text = settings.SPR_PROTECTIVE_MARKING
    ws.oddFooter.center.text = settings.SPR_PROTECTIVE_MARKING
