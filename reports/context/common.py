"""What both reports share: the template version in every input hash, the prepared context, dates,
labels, colours and the threat × area heat map of an assessment's responses."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext

from assessments.matrix import Cell, edition_layout, heat_maps
from assessments.records import ResponseRecord
from capabilities.models import Requirement
from core.audit import canonical
from threats.models import Edition

#: Bump when templates/pdf/* or static/css/pdf.css change what a report shows: it is part of every
#: input hash, so reports built by the old templates are not handed out as current.
TEMPLATE_VERSION = "2026.12.4"  # .3: the inspection chapter and findings table; .4: collaboration agreements
ACCOUNTABILITY_TEMPLATE = "pdf/accountability.html"
NATIONAL_TEMPLATE = "pdf/national.html"
COLOURS = {"green", "yellow", "orange", "red", "grey", "blue", "turquoise"}


@dataclass(frozen=True)
class Prepared:
    """Everything the worker needs to render one report."""

    template: str
    title: str
    context: dict
    input_hash: str

    @property
    def identifier(self) -> bytes:
        # The PDF's /ID: derived from the content, so the same content gives the same bytes.
        return self.input_hash[:32].encode()


def payload_sha256(payload: dict) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def safe_colour(value: str | None) -> str:
    return value if value in COLOURS else "grey"


def govuk_date_text(value: str | dt.date | None) -> str:
    """GOV.UK style: 3 June 2025, or 3 June 2025 at 2:05pm for a moment in time (a date, a datetime
    or either as ISO 8601 text)."""
    if not value:
        return ""
    if isinstance(value, str):
        parsed = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    else:
        parsed = value
    if isinstance(parsed, dt.datetime):
        local = timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        clock = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
        return f"{local.day} {local:%B %Y} at {clock}"
    return f"{parsed.day} {parsed:%B %Y}"


def choice_label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value or "")


def initials(label: str) -> str:
    """Initials for the national tables' narrow cells: "Partially assured" → "PA"."""
    return "".join(word[0] for word in label.split() if word[:1].isalnum()).upper() or label[:2]


# --- The threat × area heat map, from the records of an assessment's responses -------------------


@dataclass
class Axes:
    """An edition's threats, areas, judgement scale and requirement ids by ref (five queries)."""

    layout: object
    requirement_id: dict[str, int]
    level_id: dict[str, int]

    @classmethod
    def of(cls, edition: Edition) -> Axes:
        layout = edition_layout(edition)
        return cls(
            layout=layout,
            requirement_id=dict(Requirement.objects.filter(edition=edition).values_list("ref", "id")),
            level_id={level.code: level.id for level in layout.levels.values()},
        )

    @property
    def levels(self) -> list:
        return sorted(self.layout.levels.values(), key=lambda level: (level.position, level.id))

    def cells(self, responses: Iterable[ResponseRecord]) -> dict[tuple[str, str], Cell]:
        rows = [
            (0, self.requirement_id[r.ref], self.level_id[r.judgement])
            for r in responses
            if r.ref in self.requirement_id and r.judgement in self.level_id
        ]
        cells = heat_maps(self.layout, rows).get(0)
        if cells is None:  # nothing answered at all: every requirement counts as not yet assessed
            cells = {
                key: Cell(threat=key[0], area=key[1], requirement_ids=ids, unassessed=len(ids))
                for key, ids in self.layout.cells.items()
            }
        return cells

    def rows(self, responses: Iterable[ResponseRecord]) -> list[dict]:
        responses = list(responses)
        cells = self.cells(responses)
        judged = {self.requirement_id[r.ref]: r.judgement for r in responses if r.ref in self.requirement_id}
        return [
            {
                "threat": threat.name,
                "cells": [
                    {
                        **cell_data(cells[(threat.code, area.code)]),
                        "spread": self.spread(cells[(threat.code, area.code)], judged),
                    }
                    for area in self.layout.areas
                ],
            }
            for threat in self.layout.threats
        ]

    def spread(self, cell: Cell, judged: dict[int, str]) -> str:
        """How the cell's requirements were judged, worst first: "1 not assured · 3 assured" (so a
        cell is never read from its lowest judgement alone)."""
        counts = Counter(judged.get(requirement_id, "") for requirement_id in cell.requirement_ids)
        ordered = sorted(self.levels, key=lambda level: (level.score is None, level.score or 0, level.position))
        parts = [f"{counts[level.code]} {level.label.lower()}" for level in ordered if counts.get(level.code)]
        if counts.get(""):
            parts.append(f"{counts['']} {gettext('not yet assessed')}")
        return " · ".join(parts)


def cell_data(cell: Cell) -> dict:
    return {
        "label": cell.label,
        "short": "–" if cell.is_empty else initials(cell.label),
        "colour": "none" if cell.is_empty else safe_colour(cell.colour),
        "unassessed": cell.unassessed if cell.judged else 0,
        "total": cell.total,
    }
