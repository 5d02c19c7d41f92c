"""The workbook's layout: its four sheets and their columns, worked out from the records
(`assessments.records`), so a field added to a record appears in the workbook with nothing restated.

A sheet shows one record per row. Its columns are the record's fields in order, less the few that
mean nothing to a person (ids of the assessment, versions); a column's header is the model field's
verbose name (`records.labels`) unless `HEADERS` words it better; a field with choices shows the
choice's label, a person their name and job title, a day a date, a moment a local date and time, a
list its items joined by commas. The Responses sheet adds the requirement's wording (from
`RequirementRecord`) beside its paragraph reference, which is always column A.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Action, Departure, Evidence, Response, ResponseStatus
from assessments.records import (
    ActionRecord,
    AssessmentContent,
    DepartureRecord,
    EvidenceRecord,
    RequirementRecord,
    ResponseRecord,
)
from assessments.records.base import DAY, LIST, MOMENT, PERSON, _kind_of, source_of
from assessments.records.labels import field_label, model_field

RESPONSES, EVIDENCE, DEPARTURES, ACTIONS = "Responses", "Evidence", "Departures", "Actions"
SHEET_NAMES = (RESPONSES, EVIDENCE, DEPARTURES, ACTIONS)

#: Headers a model's verbose name does not say well enough (or that no model field has).
HEADERS = {
    "ref": _("Paragraph reference"),
    "requirement": _("Paragraph reference"),
    "requirement_text": _("Requirement"),
    "judgement": _("Judgement"),
    "evidence": _("Evidence (IDs on the Evidence sheet)"),
    "status": _("Status"),
    "updated_at": _("Last changed"),
    "updated_by": _("Last changed by"),
    "id": _("ID"),
    "sha256": _("SHA-256"),
    "url": _("Web address"),
    "size": _("Size in bytes"),
    "original_name": _("File name"),
}
#: Column widths in characters: long text is wide and wraps, the rest fits its kind.
WIDE, NARROW = 60, 16
DATE_FORMAT, MOMENT_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
#: Excel holds at most this many characters in a cell.
CELL_LIMIT = 32_767


@dataclass(frozen=True)
class Column:
    """One column: the record field it shows (`key`), how a person reads its header, and how a
    value is written (`kind`: plain, list, person, day or moment; `choices`: code -> label)."""

    key: str
    header: str
    kind: str
    choices: dict[str, str] | None
    wide: bool
    read: Callable[[object, dict], object]

    @property
    def width(self) -> int:
        if self.wide:
            return WIDE
        return max(NARROW, min(len(str(self.header)) + 2, 30))

    def cell_value(self, record, context: dict):
        """The value as the sheet holds it."""
        value = self.read(record, context)
        if value is None:
            return None
        if self.choices is not None:
            return str(self.choices.get(value, value))
        if self.kind == PERSON:
            return value.label
        if self.kind == MOMENT:
            return timezone.localtime(value).replace(tzinfo=None)
        if self.kind == LIST:
            return ", ".join(str(item) for item in value)
        if isinstance(value, str):
            return clean_text(value)
        return value

    @property
    def number_format(self) -> str | None:
        return {DAY: DATE_FORMAT, MOMENT: MOMENT_FORMAT}.get(self.kind)


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    rows: Callable[[AssessmentContent], Iterable]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


def clean_text(text: str) -> str:
    """Text as a cell may hold it: no control characters but tab and line breaks (Excel refuses them),
    and no more than a cell holds."""
    cleaned = "".join(char for char in text if char in "\t\n\r" or ord(char) >= 32)
    return cleaned[:CELL_LIMIT]


def _choices_of(field: models.Field | None) -> dict[str, str] | None:
    if field is None or not getattr(field, "choices", None):
        return None
    return dict(field.flatchoices)


def _field_on(model, path: str):
    """The model field at the end of an ORM path (`requirement__ref`), or None."""
    *relations, name = path.split("__")
    for relation in relations:
        found = model_field(model, relation)
        if found is None or found.related_model is None:
            return None
        model = found.related_model
    return model_field(model, name)


def _header(model, key: str, path: str) -> str:
    if key in HEADERS:
        return HEADERS[key]
    *relations, name = path.split("__")
    target = _field_on(model, "__".join(relations)).related_model if relations else model
    return field_label(target, name)


def columns_of(
    record: type,
    model: type[models.Model],
    *,
    hidden: Iterable[str] = (),
    choices: dict[str, dict[str, str]] | None = None,
    reads: dict[str, Callable[[object, dict], object]] | None = None,
    extra_after: dict[str, Column] | None = None,
) -> tuple[Column, ...]:
    """The record's fields as columns, in the record's order, less `hidden`; `choices`, `reads`
    override how a field is labelled or read, `extra_after` puts a column after a field."""
    hints = typing.get_type_hints(record)
    choices = choices or {}
    reads = reads or {}
    extra_after = extra_after or {}
    columns = []
    for f in dataclasses.fields(record):
        if f.name in set(hidden):
            continue
        path = source_of(f)
        field = _field_on(model, path)
        columns.append(
            Column(
                key=f.name,
                header=_header(model, f.name, path),
                kind=_kind_of(hints[f.name]),
                choices=choices.get(f.name, _choices_of(field)),
                wide=isinstance(field, models.TextField),
                read=reads.get(f.name, _attribute(f.name)),
            )
        )
        if f.name in extra_after:
            columns.append(extra_after[f.name])
    return tuple(columns)


def _attribute(name: str) -> Callable[[object, dict], object]:
    return lambda record, context: getattr(record, name)


def _requirement_text(record: ResponseRecord, context: dict) -> str:
    requirement: RequirementRecord = context["requirements"][record.ref]
    return " ".join(part for part in (requirement.group_heading, requirement.text) if part)


RESPONSE_SHEET = Sheet(
    name=RESPONSES,
    model=Response,
    columns=columns_of(
        ResponseRecord,
        Response,
        # `judgement` shows its label; the ids and version mean nothing to a person (the owner is
        # shown by name and job title).
        hidden=("id", "assessment_id", "version", "owner_id", "judgement_label"),
        choices={"status": dict(ResponseStatus.choices)},
        reads={"judgement": lambda record, context: record.judgement_label},
        extra_after={
            "paragraph": Column(
                key="requirement_text",
                header=HEADERS["requirement_text"],
                kind="plain",
                choices=None,
                wide=True,
                read=_requirement_text,
            )
        },
    ),
    rows=lambda content: content.responses,
)
EVIDENCE_SHEET = Sheet(
    name=EVIDENCE,
    model=Evidence,
    # The content type is a machine's name for what `kind` and the file name already say.
    columns=columns_of(EvidenceRecord, Evidence, hidden=("content_type",)),
    rows=lambda content: content.evidence,
)
DEPARTURE_SHEET = Sheet(
    name=DEPARTURES,
    model=Departure,
    columns=columns_of(DepartureRecord, Departure),
    rows=lambda content: content.departures,
)
ACTION_SHEET = Sheet(
    name=ACTIONS,
    model=Action,
    columns=columns_of(ActionRecord, Action),
    rows=lambda content: content.actions,
)
SHEETS = (RESPONSE_SHEET, EVIDENCE_SHEET, DEPARTURE_SHEET, ACTION_SHEET)
assert tuple(sheet.name for sheet in SHEETS) == SHEET_NAMES  # the Interfaces name them in this order
assert RESPONSE_SHEET.columns[0].key == "ref"  # the Interfaces put it in column A
