"""Reading a workbook into a draft: the plan of what would change (row by row, old and new) and of
every row refused (sheet, row and reason), then the one write that carries the plan out.

The file goes through the evidence library's upload checks first (`core.uploads.check_upload`: name,
size, type read from its content, the archive checks of an OOXML file, the virus scan), and must be
an Excel workbook. It is opened with openpyxl, which parses its XML through defusedxml, read-only and
with formulas as written (`data_only=False`): a cell holding a formula is never evaluated, and its row
is refused. Nothing is written while planning.

The Responses sheet (last year's self-assessment) and the Actions sheet (an action plan) are
imported, row by row (`planners`); the Evidence and Departures sheets are written for reading and
left as they are. A workbook in a layout of its own is read through a `ColumnMap` that names its
sheet and the column letter of the reference, judgement, narrative and evidence.

`workbook_import` writes the plan through the services every page uses (`response_update`,
`action_save`), inside one transaction, checking each record is as the plan read it (a response's
version, an action's last change): if anyone has changed one since, nothing is written
(`ImportStale`). Each record keeps its history and audit entries as any edit does.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from assessments import services
from assessments.models import Action, Assessment, Response
from assessments.permissions import can_edit_assessment, can_manage_force_records
from assessments.records import ResponseAnswer
from assessments.workbook.layout import ACTIONS, RESPONSES
from assessments.workbook.planners import PLANNERS, header_columns
from core.exceptions import Conflict
from core.uploads import check_upload

#: More rows than an edition has requirements is not a self-assessment.
MAX_ROWS = 5_000
TOKEN_SALT = "assessments.workbook.import"  # noqa: S105 — a signing salt, not a secret
TOKEN_MAX_AGE = 60 * 60


class ImportStale(Conflict):
    """A record changed between the preview and the import; nothing was written."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    """A row of the workbook that changes a record, and how: `kind` is what it changes (RESPONSES or
    ACTIONS, whatever its sheet is called), `target` the response or action (None for a new action),
    `version` what the record was when the plan read it (a response's version, an action's last
    change), `values` what is written (JSON-ready)."""

    kind: str
    sheet: str
    row: int
    reference: str
    target: int | None
    version: str
    values: dict
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Refusal:
    sheet: str
    row: int | None
    reference: str
    reason: str


@dataclass
class ImportPlan:
    """What importing the workbook would do: `changes` (rows that change a response or an action),
    `refusals` (rows, or a whole sheet, that cannot be imported), and how many rows would leave a
    record as it is."""

    changes: list[RowChange] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    unchanged: int = 0

    @property
    def can_import(self) -> bool:
        return bool(self.changes) and not self.refusals

    def refuse(self, reason: str, *, sheet: str = RESPONSES, row: int | None = None, reference: str = "") -> None:
        self.refusals.append(Refusal(sheet=sheet, row=row, reference=reference, reason=reason))

    def add(self, *, fields: Iterable[tuple[str, str, str, str]], **change) -> None:
        self.changes.append(RowChange(**change, fields=tuple(FieldChange(*item) for item in fields)))


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


@dataclass(frozen=True)
class ColumnMap:
    """A workbook in a layout of its own: the answers are on `sheet` (the first sheet if ""), and
    each of ResponsePlanner's columns (`ref`, `judgement`, `narrative`, `evidence`) is in the column
    letter given (at least `ref`); row 1 holds headings and is passed over."""

    sheet: str
    letters: dict[str, str]

    def columns(self) -> dict[str, int]:
        return {key: column_index_from_string(letter.upper()) - 1 for key, letter in self.letters.items() if letter}


#: A mapped layout's fields, as the page's form and the API name them -> ResponsePlanner's columns.
MAPPING_FIELDS = {
    "reference_column": "ref",
    "judgement_column": "judgement",
    "narrative_column": "narrative",
    "evidence_column": "evidence",
}
COLUMN_LETTERS = re.compile(r"[A-Za-z]{1,3}")


def column_map(*, sheet: str = "", **letters: str) -> ColumnMap | None:
    """The layout a person gave (`reference_column`... as MAPPING_FIELDS), or None when they gave
    none and the workbook is in the export's layout. Raises ValidationError naming the field."""
    given = {name: (letters.get(name) or "").strip() for name in MAPPING_FIELDS}
    if not any(given.values()) and not sheet.strip():
        return None
    errors = {}
    for name, letter in given.items():
        if letter and not COLUMN_LETTERS.fullmatch(letter):
            errors[name] = _("Enter a column letter, such as C")
    if not any(given[name] for name in ("judgement_column", "narrative_column", "evidence_column")):
        errors["judgement_column"] = _("Enter the column of the judgement, the narrative or the evidence")
    if errors:
        raise ValidationError(errors)
    given["reference_column"] = given["reference_column"] or "A"
    return ColumnMap(sheet=sheet.strip(), letters={MAPPING_FIELDS[name]: letter for name, letter in given.items()})


def plan_import(*, assessment: Assessment, upload, mapping: ColumnMap | None = None) -> ImportPlan:
    """What importing `upload` into the assessment would change and refuse; writes nothing.
    Raises ValidationError when the file itself is refused (see `open_workbook`)."""
    book = open_workbook(upload)
    try:
        if mapping is not None:
            return plan_mapped(assessment=assessment, book=book, mapping=mapping)
        return plan_workbook(assessment=assessment, book=book)
    finally:
        book.close()


def plan_mapped(*, assessment: Assessment, book, mapping: ColumnMap) -> ImportPlan:
    """The plan of a workbook in its own layout (`mapping`): answers only."""
    plan = ImportPlan()
    sheet = mapping.sheet or book.sheetnames[0]
    if sheet not in book.sheetnames:
        plan.refuse(
            _("The workbook has no sheet called %(sheet)s. Its sheets are %(sheets)s")
            % {"sheet": sheet, "sheets": ", ".join(book.sheetnames)},
            sheet=sheet,
        )
        return plan
    rows = book[sheet].iter_rows()
    next(rows, None)
    _plan_rows(plan, PLANNERS[RESPONSES](assessment, plan, mapping.columns(), sheet_name=sheet), rows)
    return plan


def _plan_rows(plan: ImportPlan, planner, rows) -> None:
    # Counted here: a read-only sheet's empty cells do not know their row.
    for number, cells in enumerate(rows, start=2):
        if number > MAX_ROWS + 1:
            plan.refuse(
                _("The sheet has more than %(limit)s rows") % {"limit": f"{MAX_ROWS:,}"}, sheet=planner.sheet_name
            )
            break
        planner.row(number, cells)


def plan_workbook(*, assessment: Assessment, book) -> ImportPlan:
    """The plan of every imported sheet the workbook has (Responses, Actions); a workbook with
    neither is refused."""
    plan = ImportPlan()
    present = [name for name in PLANNERS if name in book.sheetnames]
    if not present:
        plan.refuse(
            _("The workbook has no sheet called %(sheets)s. Export the assessment to see the layout")
            % {"sheets": _(" or ").join(PLANNERS)},
        )
        return plan
    for name in present:
        planner_class = PLANNERS[name]
        rows = book[name].iter_rows()
        columns = header_columns(planner_class.sheet, next(rows, None) or ())
        if not set(columns) & set(planner_class.imported):
            plan.refuse(
                _("Row 1 must name the columns to import, such as %(names)s")
                % {"names": ", ".join(str(planner_class.sheet.column(key).header) for key in planner_class.imported)},
                sheet=name,
                row=1,
            )
            continue
        _plan_rows(plan, planner_class(assessment, plan, columns), rows)
    return plan


# --- Carrying the plan across the preview: a signed token -------------------------------------------


def plan_token(*, user, assessment: Assessment, plan: ImportPlan) -> str:
    """The plan's changes, signed for this user and assessment, for the preview's confirm button."""
    changes = [[c.kind, c.sheet, c.row, c.reference, c.target, c.version, c.values] for c in plan.changes]
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
        RowChange(kind=kind, sheet=sheet, row=row, reference=reference, target=target, version=version, values=values)
        for kind, sheet, row, reference, target, version, values in data["c"]
    ]


# --- The write ---------------------------------------------------------------------------------------


@transaction.atomic
def workbook_import(*, user, assessment: Assessment, changes: Sequence[RowChange]) -> int:
    """Write every change, or none: a response through `services.response_update` at the version the
    plan read, an action through `services.action_save` if it has not changed since; anything changed
    since the plan refuses the whole import (ImportStale, a 409). Raises PermissionDenied or Conflict
    as the services do for a user who may not edit or a draft that has moved on. Answers how many
    rows were written."""
    require_importable(user, assessment)
    for change in changes:
        try:
            if change.kind == RESPONSES:
                _write_response(user, assessment, change)
            elif change.kind == ACTIONS:
                _write_action(user, assessment, change)
            else:
                raise ValidationError(_("The preview does not match this assessment. Upload the workbook again"))
        except services.StaleVersion:
            raise _stale(change) from None
        except ValidationError as exc:
            raise ValidationError(
                _("%(sheet)s row %(row)s (%(ref)s) cannot be imported: %(reason)s")
                % {"sheet": change.sheet, "row": change.row, "ref": change.reference, "reason": " ".join(exc.messages)}
            ) from None
    return len(changes)


def _stale(change: RowChange) -> ImportStale:
    return ImportStale(
        _(
            "%(sheet)s row %(row)s (%(ref)s) has changed in the draft since you previewed the import, so "
            "nothing was imported. Upload the workbook again to see the changes as they stand now"
        )
        % {"sheet": change.sheet, "row": change.row, "ref": change.reference}
    )


def _write_response(user, assessment: Assessment, change: RowChange) -> None:
    response = Response.objects.filter(assessment=assessment, pk=change.target).select_related("assessment").first()
    if response is None:
        raise ValidationError(_("The preview does not match this assessment. Upload the workbook again"))
    values = change.values
    answer = ResponseAnswer(
        judgement=values.get("judgement"),
        narrative=values.get("narrative"),
        evidence_ids=tuple(values["evidence_ids"]) if values.get("evidence_ids") is not None else None,
    )
    services.response_update(user=user, response=response, expected_version=int(change.version), answer=answer)


def _write_action(user, assessment: Assessment, change: RowChange) -> None:
    values = dict(change.values)
    if "due_date" in values:
        values["due_date"] = dt.date.fromisoformat(values["due_date"])
    if "owner" in values:
        # A workbook names owners as text: a changed name is someone the service does not link to.
        values["owner_user"] = None
    action = None
    if change.target is not None:
        action = Action.objects.select_for_update().filter(assessment=assessment, pk=change.target).first()
        if action is None or action.updated_at.isoformat() != change.version:
            raise _stale(change)
    services.action_save(
        user=user,
        assessment=assessment,
        action=action,
        requirement=change.reference if action is None else None,
        **values,
    )
