"""Writing an assessment as an .xlsx workbook: one sheet per `layout.SHEETS`, a bold frozen header
row, dates as dates, column widths to suit, and the protective marking in every page's header.

Text is always written as text: a narrative starting with "=" stays words, never a formula.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from assessments.models import Assessment
from assessments.records import AssessmentContent, assessment_content
from assessments.workbook.layout import SHEETS, Sheet

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


def workbook_bytes(content: AssessmentContent) -> bytes:
    """The workbook of an assessment's content, as the bytes of an .xlsx file."""
    book = Workbook()
    book.remove(book.active)
    context = {"requirements": content.requirements_by_ref()}
    for sheet in SHEETS:
        _write_sheet(book, sheet, content, context)
    book.properties.title = f"{content.assessment.force.name} {content.assessment.period}"
    book.properties.creator = "SPR Assurance"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def assessment_workbook(assessment: Assessment) -> bytes:
    """The assessment's workbook, read in `assessment_content`'s fixed number of queries."""
    return workbook_bytes(assessment_content(assessment))


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
