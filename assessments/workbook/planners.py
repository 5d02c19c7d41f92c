"""Reading one sheet's rows against the draft as it stands: for each row, the change it makes (old
and new, as a person reads them) or why it is refused. Nothing is written here.

A sheet's columns are found by their headers as the export writes them (`layout`), or by the
record's own field names (`narrative`, `due_date`), so a workbook's columns may be moved, renamed to
the field names or left out (a column left out leaves that part of each row as it is). Column A is
always the paragraph reference. A row holding a formula is refused whole: formulas are never
evaluated.

- Responses: one row per requirement; the judgement (label or code), narrative and evidence IDs.
- Actions: an action plan; a row matches the draft's action on the same requirement with the same
  gap, and changes it, or is a new action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from assessments.models import Action, ActionStatus, Assessment, Evidence, Response
from assessments.workbook.layout import ACTION_SHEET, ACTIONS, RESPONSE_SHEET, RESPONSES, Sheet
from capabilities.models import Requirement
from threats.models import JudgementLevel

#: What each imported sheet's columns write: the sheet's column key -> the field written (the
#: Responses sheet's `evidence` column is ResponseAnswer's `evidence_ids`).
RESPONSE_COLUMNS = {"judgement": "judgement", "narrative": "narrative", "evidence": "evidence_ids"}
ACTION_COLUMNS = {
    "gap": "gap",
    "description": "description",
    "owner": "owner",
    "due_date": "due_date",
    "status": "status",
}


def header_columns(sheet: Sheet, header: Sequence) -> dict[str, int]:
    """Which column (0-based) holds each of the sheet's columns, found by its header or its field's
    name; column A is always the paragraph reference."""
    names = {}
    for column in sheet.columns:
        names[str(column.header).strip().casefold()] = column.key
        names.setdefault(column.key.casefold(), column.key)
    found = {sheet.columns[0].key: 0}
    for index, cell in enumerate(header):
        if index == 0 or cell.value is None:
            continue
        key = names.get(str(cell.value).strip().casefold())
        if key and key not in found:
            found[key] = index
    return found


def text_of(cell) -> str:
    if cell is None or cell.value is None:
        return ""
    value = cell.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value).replace("\r\n", "\n")


def same_text(a: str, b: str) -> bool:
    """Equal but for line endings (a browser sends CR LF, a workbook holds LF) and surrounding
    blanks, which a person does not see."""
    return _lines(a) == _lines(b)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _same(a, b) -> bool:
    return same_text(a, b) if isinstance(a, str) and isinstance(b, str) else a == b


def formula_columns(cells: Sequence) -> str:
    """The letters of the row's cells that hold a formula ("" for none)."""
    return ", ".join(get_column_letter(cell.column) for cell in cells if getattr(cell, "data_type", None) == "f")


class Planner:
    """Plans one sheet's rows into `plan` (an `imports.ImportPlan`)."""

    sheet: Sheet
    imported: dict[str, str]

    def __init__(self, assessment: Assessment, plan, columns: dict[str, int], *, sheet_name: str = ""):
        self.assessment = assessment
        self.plan = plan
        self.columns = columns
        #: The sheet as the workbook names it (its own name in a mapped layout).
        self.sheet_name = sheet_name or self.sheet.name
        self.seen: dict[object, int] = {}

    def row(self, number: int, cells: Sequence) -> None:
        if not cells or all(cell.value is None for cell in cells):
            return
        values = {key: (cells[index] if index < len(cells) else None) for key, index in self.columns.items()}
        reference = text_of(values.get(self.sheet.columns[0].key)).strip()
        formulas = formula_columns(cells)
        if formulas:
            self.refuse(
                _("The row holds a formula (column %(columns)s). Type the value instead") % {"columns": formulas},
                number,
                reference,
            )
            return
        if not reference:
            self.refuse(_("Enter the paragraph reference in column A"), number, reference)
            return
        try:
            self.plan_row(number, reference, values)
        except ValidationError as exc:
            for message in exc.messages:
                self.refuse(message, number, reference)

    def plan_row(self, number: int, reference: str, values: dict) -> None:
        raise NotImplementedError

    def refuse(self, reason: str, row: int, reference: str) -> None:
        self.plan.refuse(reason, sheet=self.sheet_name, row=row, reference=reference)

    def once(self, key, number: int, reference: str) -> None:
        """Refuse a second row for the same thing."""
        if key in self.seen:
            raise ValidationError(_("Row %(row)s already gives %(ref)s") % {"ref": reference, "row": self.seen[key]})
        self.seen[key] = number

    def label(self, key: str) -> str:
        return str(self.sheet.column(key).header)

    def unknown_requirement(self, reference: str) -> ValidationError:
        return ValidationError(
            _("%(edition)s has no requirement %(ref)s") % {"edition": self.assessment.edition.title, "ref": reference}
        )


class ResponsePlanner(Planner):
    sheet = RESPONSE_SHEET
    imported = RESPONSE_COLUMNS

    def __init__(self, assessment: Assessment, plan, columns: dict[str, int], **kwargs):
        super().__init__(assessment, plan, columns, **kwargs)
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

    def plan_row(self, number: int, reference: str, values: dict) -> None:
        response = self.responses.get(reference)
        if response is None:
            raise self.unknown_requirement(reference)
        self.once(reference, number, reference)
        given, changes, errors = {}, [], []
        if values.get("judgement") is not None and text_of(values["judgement"]).strip():
            text = text_of(values["judgement"]).strip()
            level = self.level_of.get(text.casefold())
            if level is None:
                labels = ", ".join(level.label for level in self.levels)
                errors.append(
                    _("“%(value)s” is not a judgement on this edition’s scale (%(labels)s)")
                    % {"value": text, "labels": labels}
                )
            elif level.id != response.judgement_id:
                given["judgement"] = level.code
                changes.append(("judgement", response.judgement.label, level.label))
        if values.get("narrative") is not None:
            narrative = text_of(values["narrative"])
            limit = Response._meta.get_field("narrative").max_length
            if len(narrative) > limit:
                errors.append(_("The narrative must be %(limit)s characters or fewer") % {"limit": f"{limit:,}"})
            elif not same_text(narrative, response.narrative):
                given["narrative"] = narrative
                changes.append(("narrative", response.narrative, narrative))
        if values.get("evidence") is not None:
            try:
                ids = _ids(text_of(values["evidence"]))
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
                    given["evidence_ids"] = list(ids)
                    changes.append(("evidence", self._titles(current), self._titles(ids)))
        if errors:
            raise ValidationError(errors)
        if not changes:
            self.plan.unchanged += 1
            return
        self.plan.add(
            kind=self.sheet.name,
            sheet=self.sheet_name,
            row=number,
            reference=reference,
            target=response.id,
            version=str(response.version),
            values=given,
            fields=[(key, self.label(key), old, new) for key, old, new in changes],
        )

    def _titles(self, ids: Iterable[int]) -> str:
        return "; ".join(f"{self.evidence_titles.get(value, '')} ({value})" for value in ids)


class ActionPlanner(Planner):
    """An action plan: a row is the draft's action on that requirement with that gap, or a new one."""

    sheet = ACTION_SHEET
    imported = ACTION_COLUMNS

    def __init__(self, assessment: Assessment, plan, columns: dict[str, int], **kwargs):
        super().__init__(assessment, plan, columns, **kwargs)
        self.refs = set(Requirement.objects.filter(edition_id=assessment.edition_id).values_list("ref", flat=True))
        self.actions: dict[tuple[str, str], Action] = {}
        for action in assessment.actions.select_related("requirement").order_by("id"):
            self.actions.setdefault((action.requirement.ref, _key(action.gap)), action)
        self.status_of = {}
        for value, label in ActionStatus.choices:
            self.status_of[value.casefold()] = value
            self.status_of[str(label).casefold()] = value

    def plan_row(self, number: int, reference: str, values: dict) -> None:
        if reference not in self.refs:
            raise self.unknown_requirement(reference)
        gap = text_of(values.get("gap")).strip()
        if not gap:
            raise ValidationError(_("Enter the gap in the %(column)s column") % {"column": self.label("gap")})
        self.once((reference, _key(gap)), number, f"{reference}: {gap[:40]}")
        action = self.actions.get((reference, _key(gap)))
        given, errors = {}, []
        for key in ("description", "owner"):
            if values.get(key) is None:
                continue
            text = text_of(values[key]).strip()
            limit = Action._meta.get_field(key).max_length
            if not text:
                errors.append(_("Enter the %(column)s") % {"column": self.label(key).lower()})
            elif limit and len(text) > limit:
                errors.append(
                    _("%(column)s must be %(limit)s characters or fewer")
                    % {"column": self.label(key), "limit": f"{limit:,}"}
                )
            else:
                given[key] = text
        if values.get("due_date") is not None:
            due = _date(values["due_date"])
            if due is None:
                errors.append(_("Enter the due date as a date, for example 31/03/2026"))
            else:
                given["due_date"] = due
        if values.get("status") is not None and text_of(values["status"]).strip():
            status = self.status_of.get(text_of(values["status"]).strip().casefold())
            if status is None:
                labels = ", ".join(str(label) for _value, label in ActionStatus.choices)
                errors.append(_("Choose a status: %(labels)s") % {"labels": labels})
            else:
                given["status"] = status
        if action is None:
            missing = [self.label(key).lower() for key in ("description", "owner", "due_date") if key not in given]
            if missing and not errors:
                errors.append(_("A new action needs its %(columns)s") % {"columns": ", ".join(missing)})
        if errors:
            raise ValidationError(errors)
        current = {key: getattr(action, key) for key in ACTION_COLUMNS} if action else {}
        if action is None:
            given["gap"] = gap
            given.setdefault("status", ActionStatus.OPEN)
        changed = {key: value for key, value in given.items() if not _same(current.get(key), value)}
        if not changed:
            self.plan.unchanged += 1
            return
        self.plan.add(
            kind=self.sheet.name,
            sheet=self.sheet_name,
            row=number,
            reference=reference,
            target=action.id if action else None,
            version=action.updated_at.isoformat() if action else "",
            values={key: value.isoformat() if isinstance(value, dt.date) else value for key, value in changed.items()},
            fields=[
                (key, self.label(key), self._show(key, current.get(key)), self._show(key, value))
                for key, value in changed.items()
            ],
        )

    def _show(self, key: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if key == "status":
            return str(ActionStatus(value).label)
        return str(value)


PLANNERS = {RESPONSES: ResponsePlanner, ACTIONS: ActionPlanner}


def _key(gap: str) -> str:
    return " ".join(gap.split()).casefold()


def _ids(text: str) -> tuple[int, ...]:
    parts = [part.strip() for part in text.replace(";", ",").split(",")]
    return tuple(sorted({int(part) for part in parts if part}))


def _date(cell) -> dt.date | None:
    value = cell.value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a day, not a moment
        except ValueError:
            continue
    try:
        return parse_date(text)
    except ValueError:
        return None
