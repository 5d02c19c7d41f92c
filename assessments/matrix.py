"""The threat × area heat map of one or many assessments, computed in a fixed number of queries.

The rule, stated wherever a heat map is shown: a cell takes the lowest judgement among the
requirements that sit in both its threat and its area; requirements not yet assessed are counted
and shown beside it, and a cell with nothing judged yet reads "Not yet assessed".

Each cell also carries its spread (how many requirements sit at each judgement), which is what the
dashboards show: the lowest judgement alone makes forces look alike. With `band=True` the
requirements that serve every threat (cross-cutting ones such as 3.1(a)) leave the threat rows and
form one band of their own (threat code `CROSS_CUTTING`), so they are counted once, not five times.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from capabilities.models import Area
from capabilities.structure import EditionStructure, edition_structure, is_cached, on_forget
from threats.models import Edition, JudgementLevel, Threat

#: The threat code of the band of requirements that serve every threat.
CROSS_CUTTING = "all-threats"

CELL_RULE = (
    "Each cell shows the lowest judgement among the requirements that serve that threat in that area. "
    "Requirements not yet assessed are counted beside it; a cell with none judged reads “not yet assessed”."
)
SPREAD_RULE = _(
    "Each cell counts the requirements that serve that threat in that area at each judgement, in words "
    "and colour. Requirements that serve every threat are counted once, under “All threats (cross-cutting)”, "
    "not in every threat."
)


@dataclass
class Cell:
    threat: str
    area: str
    requirement_ids: list[int] = field(default_factory=list)
    level: JudgementLevel | None = None
    judged: int = 0
    unassessed: int = 0
    spread: list[tuple[JudgementLevel, int]] = field(default_factory=list)  # lowest judgement first

    @property
    def spread_parts(self) -> list[tuple[str, str, int]]:
        """(text, colour, count) for each judgement present, lowest first, then "not yet assessed"."""
        parts = [(f"{count:d} {level.label.lower()}", level.colour, count) for level, count in self.spread]
        if self.unassessed:
            text = ngettext("%(n)d not yet assessed", "%(n)d not yet assessed", self.unassessed) % {
                "n": self.unassessed
            }
            parts.append((text, "grey", self.unassessed))
        return parts

    @property
    def spread_text(self) -> str:
        """ "1 not assured · 3 partially assured · 4 assured", or "No requirements"."""
        if self.is_empty:
            return str(_("No requirements"))
        return " · ".join(text for text, _colour, _count in self.spread_parts)

    @property
    def total(self) -> int:
        return len(self.requirement_ids)

    @property
    def is_empty(self) -> bool:
        return not self.requirement_ids

    @property
    def label(self) -> str:
        if self.is_empty:
            return "No requirements"
        return self.level.label if self.level is not None else "Not yet assessed"

    @property
    def colour(self) -> str:
        return self.level.colour if self.level is not None else "grey"

    @property
    def code(self) -> str:
        return self.level.code if self.level is not None else ""

    @property
    def score(self) -> int | None:
        return self.level.score if self.level is not None else None


@dataclass
class Layout:
    """An edition's axes: its threats, its areas and which requirements sit in each cell."""

    edition: Edition
    threats: list[Threat]
    areas: list[Area]
    cells: dict[tuple[str, str], list[int]]
    levels: dict[int, JudgementLevel]
    cross_cutting: set[int] = field(default_factory=set)  # requirements that serve every threat
    band: bool = False  # True: cross-cutting requirements sit only in the (CROSS_CUTTING, area) cells

    @property
    def row_codes(self) -> list[str]:
        """The threat codes of the rows, with the cross-cutting band last when there is one."""
        codes = [threat.code for threat in self.threats]
        return [*codes, CROSS_CUTTING] if self.band else codes


def edition_layout(edition: Edition, *, band: bool = False) -> Layout:
    """No query for a published edition already read in this process (capabilities.structure keeps
    its structure, and this module the layouts built from it); six for a draft. With `band`,
    requirements linked to every threat (and only when there are at least two threats) are taken out
    of the threat rows and put in one cross-cutting band per area. The layout is shared: read it, do
    not change it."""
    cacheable = is_cached(edition)
    key = (edition.pk, band)
    layout = _layouts.get(key) if cacheable else None
    if layout is None:
        layout = _build_layout(edition, edition_structure(edition), band=band)
        if cacheable:
            with _layouts_lock:
                _layouts[key] = layout
    # The layout's edition is the caller's (its status or title may be newer than the cached one's).
    return layout if layout.edition is edition else replace(layout, edition=edition)


def _build_layout(edition: Edition, structure: EditionStructure, *, band: bool) -> Layout:
    threats, areas = list(structure.threats), list(structure.areas)
    threat_code = {threat.id: threat.code for threat in threats}
    area_code = {area.id: area.code for area in areas}
    threats_of = {rid: [threat_code[tid] for tid in ids] for rid, ids in structure.threats_of.items()}
    every = {threat.code for threat in threats}
    cross_cutting = {rid for rid, codes in threats_of.items() if set(codes) >= every} if len(threats) > 1 else set()
    cells: dict[tuple[str, str], list[int]] = {(t.code, a.code): [] for t in threats for a in areas}
    if band:
        cells.update({(CROSS_CUTTING, a.code): [] for a in areas})
    for requirement_id, area_ids in structure.areas_of.items():
        for area_id in area_ids:
            if band and requirement_id in cross_cutting:
                cells[(CROSS_CUTTING, area_code[area_id])].append(requirement_id)
                continue
            for threat in threats_of.get(requirement_id, ()):
                cells[(threat, area_code[area_id])].append(requirement_id)
    return Layout(
        edition=edition,
        threats=threats,
        areas=areas,
        cells=cells,
        levels=dict(structure.levels),
        cross_cutting=cross_cutting,
        band=band,
    )


_layouts: dict[tuple[int, bool], Layout] = {}
_layouts_lock = threading.Lock()


def _forget_layouts() -> None:
    with _layouts_lock:
        _layouts.clear()


on_forget(_forget_layouts)


def heat_maps(layout: Layout, judgements: Iterable[tuple[int, int, int]]) -> dict[int, dict[tuple[str, str], Cell]]:
    """Heat maps per assessment from (assessment_id, requirement_id, judgement_level_id) rows."""
    by_assessment: dict[int, dict[int, JudgementLevel]] = defaultdict(dict)
    for assessment_id, requirement_id, level_id in judgements:
        by_assessment[assessment_id][requirement_id] = layout.levels[level_id]
    maps = {}
    for assessment_id, answers in by_assessment.items():
        maps[assessment_id] = {key: _cell(key, ids, answers) for key, ids in layout.cells.items()}
    return maps


def _cell(key: tuple[str, str], requirement_ids: list[int], answers: dict[int, JudgementLevel]) -> Cell:
    cell = Cell(threat=key[0], area=key[1], requirement_ids=requirement_ids)
    counts: dict[int, int] = defaultdict(int)
    seen: dict[int, JudgementLevel] = {}
    for requirement_id in requirement_ids:
        level = answers.get(requirement_id)
        if level is None or level.score is None:
            cell.unassessed += 1
            continue
        cell.judged += 1
        counts[level.id] += 1
        seen[level.id] = level
        if cell.level is None or level.score < cell.level.score:
            cell.level = level
    cell.spread = [(seen[lid], counts[lid]) for lid in sorted(seen, key=lambda lid: (seen[lid].score, seen[lid].id))]
    return cell
