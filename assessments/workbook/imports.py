"""Reading a workbook into a draft: the plan of what would change (row by row, old and new) and of
every row refused (sheet, row and reason), then the one write that carries the plan out.

The file goes through the evidence library's upload checks first (`core.uploads.check_upload`: name,
size, type read from its content, the archive checks of an OOXML file, the virus scan), and must be
an Excel workbook. It is opened with openpyxl, which parses its XML through defusedxml, read-only and
with formulas as written (`data_only=False`): a cell holding a formula is never evaluated, and its row
is refused. Nothing is written while planning.

The Responses sheet is imported: column A names the requirement (its paragraph reference); the
other columns are found by their headers, as the export writes them (`layout.RESPONSE_SHEET`), so
columns may be moved or left out (a column left out leaves that part of each answer unchanged). The
judgement may be given as its label or its code. The Evidence, Departures and Actions sheets are
written for reading and left as they are.

`workbook_import` writes the plan's answers through `services.response_update`, one response at a
time inside one transaction, at the versions read when the plan was made: if anyone has changed one
of those responses since, nothing is written (`ImportStale`). Each response keeps its history and
audit entries as any edit does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from assessments import services
from assessments.models import Assessment, Evidence, Response
from assessments.permissions import can_edit_assessment, can_manage_force_records
from assessments.records import ResponseAnswer
from assessments.workbook.layout import RESPONSE_SHEET, RESPONSES
from core.exceptions import Conflict
from core.uploads import check_upload
from threats.models import JudgementLevel

#: The columns of the Responses sheet that are imported: ResponseAnswer's fields, as the sheet's
#: columns name them (`evidence_ids` is the `evidence` column).
ANSWER_COLUMNS = {"judgement": "judgement", "narrative": "narrative", "evidence": "evidence_ids"}
#: More rows than an edition has requirements is not a self-assessment.
MAX_ROWS = 5_000
TOKEN_SALT = "assessments.workbook.import"  # noqa: S105 — a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60


class ImportStale(Conflict):
    """A response changed between the preview and the import; nothing was written."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """A row of the workbook that will change a response, and how."""

    sheet: str
    row: int
    reference: str
    response_id: int
    version: int
    answer: ResponseAnswer
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class Refusal:
    sheet: str
    row: int | None
    reference: str
    reason: str


@dataclass
class ImportPlan:
    """What importing the workbook would do: `changes` (rows that change a response), `refusals`
    (rows, or the whole file, that cannot be imported), and how many rows would leave a response as
    it is."""

    changes: list[RowChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    unchanged: int = 0

    @property
    def can_import(self) -> bool:
        return bool(self.changes) and not self.refusals

    def refuse(self, reason: str, *, sheet: str = RESPONSES, row: int | None = None, reference: str = "") -> None:
        self.refusals.append(Refusal(sheet=sheet, row=row, reference=reference, reason=reason))


def require_importable(user, assessment: Assessment) -> None:
    """Refuse, as the services would, a user who may not change the draft: the force's own staff are
    told why (409: it is no longer a draft), anyone else may never (403). Previewing is refused too:
    a read-only role has nothing to preview."""
    if can_edit_assessment(user, assessment):
        return
    if can_manage_force_records(user, assessment.force_id):
        raise Conflict(
            _("This assessment is %(status)s, so answers cannot be imported into it")
            % {"status": assessment.get_status_display().lower()}
        )
    raise PermissionDenied(_("You cannot change this assessment"))


# --- Reading the file ----------------------------------------------------------------------------------


def open_workbook(upload):
    """The uploaded file as an openpyxl workbook, after the evidence library's upload checks; raises
    ValidationError (GDS wording) if it is refused or is not an Excel workbook."""
    checked = check_upload(upload, max_bytes=settings.EVIDENCE_MAX_UPLOAD_BYTES)
    if checked.extension != "xlsx":
        raise ValidationError(_("The selected file must be an Excel workbook (.xlsx)"))
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds for a file it cannot read
        raise ValidationError(_("The selected file could not be read as an Excel workbook")) from exc


def plan_import(*, assessment: Assessment, upload) -> ImportPlan:
    """What importing `upload` into the assessment would change and refuse; writes nothing.
    Raises ValidationError when the file itself is refused (see `open_workbook`)."""
    book = open_workbook(upload)
    try:
        return plan_workbook(assessment=assessment, book=book)
    finally:
        book.close()


def plan_workbook(*, assessment: Assessment, book) -> ImportPlan:
    plan = ImportPlan()
    if RESPONSES not in book.sheetnames:
        plan.refuse(
            _("The workbook has no sheet called %(sheet)s. Export the assessment to see the layout")
            % {"sheet": RESPONSES},
            row=None,
        )
        return plan
    ws = book[RESPONSES]
    rows = ws.iter_rows()
    header = next(rows, None)
    columns = _header_columns(header or ())
    if not set(columns) & set(ANSWER_COLUMNS):
        plan.refuse(
            _("Row 1 of %(sheet)s must name the columns to import: %(names)s")
            % {
                "sheet": RESPONSES,
                "names": ", ".join(str(RESPONSE_SHEET.column(key).header) for key in ANSWER_COLUMNS),
            },
            row=1,
        )
        return plan
    planner = _Planner(assessment, plan, columns)
    for cells in rows:
        if cells and cells[0].row > MAX_ROWS + 1:
            plan.refuse(_("The sheet has more than %(limit)s rows") % {"limit": f"{MAX_ROWS:,}"})
            break
        planner.row(cells)
    return plan


def _header_columns(header: Sequence) -> dict[str, int]:
    """Which column (0-based) holds each of the sheet's columns, found by its header; column A is
    always the paragraph reference."""
    by_header = {str(column.header).strip().casefold(): column.key for column in RESPONSE_SHEET.columns}
    found = {"ref": 0}
    for index, cell in enumerate(header):
        if index == 0 or cell.value is None:
            continue
        key = by_header.get(str(cell.value).strip().casefold())
        if key and key not in found:
            found[key] = index
    return found


class _Planner:
    """Plans one row at a time against the draft's responses as they stand."""

    def __init__(self, assessment: Assessment, plan: ImportPlan, columns: dict[str, int]):
        self.plan = plan
        self.columns = columns
        self.responses = {
            response.requirement.ref: response
            for response in assessment.responses.select_related("requirement", "judgement").prefetch_related("evidence")
        }
        self.levels = list(JudgementLevel.objects.filter(edition_id=assessment.edition_id).order_by("position"))
        self.level_of = {}
        for level in self.levels:
            self.level_of[level.code.casefold()] = level
            self.level_of[level.label.strip().casefold()] = level
        self.evidence_titles = dict(Evidence.objects.filter(force_id=assessment.force_id).values_list("id", "title"))
        self.edition_title = assessment.edition.title
        self.seen: dict[str, int] = {}

    def row(self, cells: Sequence) -> None:
        if not cells or all(cell.value is None for cell in cells):
            return
        number = cells[0].row
        values = {key: (cells[index] if index < len(cells) else None) for key, index in self.columns.items()}
        reference = _text(values["ref"]).strip()
        formulas = [cell for cell in cells if getattr(cell, "data_type", None) == "f"]
        if formulas:
            letters = ", ".join(get_column_letter(cell.column) for cell in formulas)
            self.plan.refuse(
                _("The row holds a formula (column %(columns)s). Type the value instead") % {"columns": letters},
                row=number,
                reference=reference,
            )
            return
        if not reference:
            self.plan.refuse(_("Enter the paragraph reference in column A"), row=number)
            return
        response = self.responses.get(reference)
        if response is None:
            self.plan.refuse(
                _("%(edition)s has no requirement %(ref)s") % {"edition": self.edition_title, "ref": reference},
                row=number,
                reference=reference,
            )
            return
        if reference in self.seen:
            self.plan.refuse(
                _("Requirement %(ref)s is already on row %(row)s") % {"ref": reference, "row": self.seen[reference]},
                row=number,
                reference=reference,
            )
            return
        self.seen[reference] = number
        try:
            answer, changes = self._answer(response, values)
        except ValidationError as exc:
            for message in exc.messages:
                self.plan.refuse(message, row=number, reference=reference)
            return
        if not changes:
            self.plan.unchanged += 1
            return
        self.plan.changes.append(
            RowChange(
                sheet=RESPONSES,
                row=number,
                reference=reference,
                response_id=response.id,
                version=response.version,
                answer=answer,
                fields=tuple(changes),
            )
        )

    def _answer(self, response: Response, values: dict) -> tuple[ResponseAnswer, list[FieldChange]]:
        """The answer the row gives, holding only what differs from the response, and the changes."""
        given, changes, errors = {}, [], []
        if "judgement" in values and values["judgement"] is not None and _text(values["judgement"]).strip():
            text = _text(values["judgement"]).strip()
            level = self.level_of.get(text.casefold())
            if level is None:
                labels = ", ".join(level.label for level in self.levels)
                errors.append(
                    _("“%(value)s” is not a judgement on this edition’s scale (%(labels)s)")
                    % {"value": text, "labels": labels}
                )
            elif level.id != response.judgement_id:
                given["judgement"] = level.code
                changes.append(self._change("judgement", response.judgement.label, level.label))
        if "narrative" in values and values["narrative"] is not None:
            narrative = _text(values["narrative"]).replace("\r\n", "\n")
            limit = Response._meta.get_field("narrative").max_length
            if len(narrative) > limit:
                errors.append(_("The narrative must be %(limit)s characters or fewer") % {"limit": f"{limit:,}"})
            elif narrative != response.narrative:
                given["narrative"] = narrative
                changes.append(self._change("narrative", response.narrative, narrative))
        if "evidence" in values and values["evidence"] is not None:
            try:
                ids = _ids(_text(values["evidence"]))
            except ValueError:
                errors.append(_("List the evidence by its IDs on the Evidence sheet, separated by commas"))
            else:
                unknown = sorted(set(ids) - set(self.evidence_titles))
                current = tuple(sorted(item.id for item in response.evidence.all()))
                if unknown:
                    errors.append(
                        _("Evidence %(ids)s is not in your force’s library")
                        % {"ids": ", ".join(str(value) for value in unknown)}
                    )
                elif ids != current:
                    given["evidence_ids"] = ids
                    changes.append(self._change("evidence", self._titles(current), self._titles(ids)))
        if errors:
            raise ValidationError(errors)
        return ResponseAnswer(**given), changes

    def _change(self, key: str, old: str, new: str) -> FieldChange:
        return FieldChange(field=key, label=str(RESPONSE_SHEET.column(key).header), old=old, new=new)

    def _titles(self, ids: Iterable[int]) -> str:
        return "; ".join(f"{self.evidence_titles.get(value, '')} ({value})" for value in ids)


def _text(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    return tuple(sorted({int(part) for part in parts if part}))


# --- Carrying the plan across the preview: a signed token -------------------------------------------


def plan_token(*, user, assessment: Assessment, plan: ImportPlan) -> str:
    """The plan's changes, signed for this user and assessment, for the preview's confirm button."""
    changes = [
        [c.response_id, c.version, c.row, c.reference, c.answer.judgement, c.answer.narrative, c.answer.evidence_ids]
        for c in plan.changes
    ]
    return signing.dumps({"a": assessment.pk, "c": changes}, salt=f"{TOKEN_SALT}:{user.pk}", compress=True)


def changes_from_token(token: str, *, user, assessment: Assessment) -> list[RowChange]:
    """The changes a preview's token holds; ValidationError if it is not one of ours, for another
    assessment or person, or older than an hour."""
    try:
        data = signing.loads(token, salt=f"{TOKEN_SALT}:{user.pk}", max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("The preview has expired. Upload the workbook again")) from None
    if data.get("a") != assessment.pk:
        raise ValidationError(_("The preview was for another assessment. Upload the workbook again"))
    return [
        RowChange(
            sheet=RESPONSES,
            row=row,
            reference=reference,
            response_id=response_id,
            version=version,
            answer=ResponseAnswer(
                judgement=judgement,
                narrative=narrative,
                evidence_ids=tuple(evidence) if evidence is not None else None,
            ),
            fields=(),
        )
        for response_id, version, row, reference, judgement, narrative, evidence in data["c"]
    ]


# --- The write ---------------------------------------------------------------------------------------


@transaction.atomic
def workbook_import(*, user, assessment: Assessment, changes: Sequence[RowChange]) -> int:
    """Write every change, or none: each response through `services.response_update` at the version
    the plan read, so a response changed since then refuses the whole import (ImportStale, a 409).
    Raises PermissionDenied or Conflict as `response_update` does for a user who may not edit, or a
    draft that has moved on. Answers how many responses were changed."""
    responses = {
        response.id: response
        for response in Response.objects.filter(
            assessment=assessment, id__in=[change.response_id for change in changes]
        ).select_related("assessment")
    }
    for change in changes:
        response = responses.get(change.response_id)
        if response is None:
            raise ValidationError(_("The preview does not match this assessment. Upload the workbook again"))
        try:
            services.response_update(
                user=user, response=response, expected_version=change.version, answer=change.answer
            )
        except services.StaleVersion:
            raise ImportStale(
                _(
                    "The answer to %(ref)s has changed since you previewed the import, so nothing was "
                    "imported. Upload the workbook again to see the changes as they stand now"
                )
                % {"ref": change.reference}
            ) from None
        except ValidationError as exc:
            raise ValidationError(
                _("Row %(row)s (%(ref)s) cannot be imported: %(reason)s")
                % {"row": change.row, "ref": change.reference, "reason": " ".join(exc.messages)}
            ) from None
    return len(changes)
