"""The threat × area heat map of one or many assessments, computed in a fixed number of queries.

The rule, stated wherever a heat map is shown: a cell takes the lowest judgement among the
requirements that sit in both its threat and its area; requirements not yet assessed are counted
and shown beside it, and a cell with nothing judged yet reads "Not yet assessed".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from capabilities.models import Area, Requirement
from threats.models import Edition, JudgementLevel, Threat

CELL_RULE = (
    "Each cell shows the lowest judgement among the requirements that serve that threat in that area. "
    "Requirements not yet assessed are counted beside it; a cell with none judged reads “not yet assessed”."
)


@dataclass
class Cell:
    threat: str
    area: str
    requirement_ids: list[int] = field(default_factory=list)
    level: JudgementLevel | None = None
    judged: int = 0
    unassessed: int = 0

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


def edition_layout(edition: Edition) -> Layout:
    """Four queries, whatever the size of the edition."""
    threats = list(Threat.objects.filter(edition=edition).order_by("position"))
    areas = list(Area.objects.filter(edition=edition).order_by("position"))
    threat_code = {threat.id: threat.code for threat in threats}
    area_code = {area.id: area.code for area in areas}
    threats_of: dict[int, list[str]] = defaultdict(list)
    for requirement_id, threat_id in Requirement.threats.through.objects.filter(
        requirement__edition=edition
    ).values_list("requirement_id", "threat_id"):
        threats_of[requirement_id].append(threat_code[threat_id])
    cells: dict[tuple[str, str], list[int]] = {(t.code, a.code): [] for t in threats for a in areas}
    for requirement_id, area_id in Requirement.areas.through.objects.filter(requirement__edition=edition).values_list(
        "requirement_id", "area_id"
    ):
        for threat in threats_of[requirement_id]:
            cells[(threat, area_code[area_id])].append(requirement_id)
    levels = {level.id: level for level in JudgementLevel.objects.filter(edition=edition)}
    return Layout(edition=edition, threats=threats, areas=areas, cells=cells, levels=levels)


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
    for requirement_id in requirement_ids:
        level = answers.get(requirement_id)
        if level is None or level.score is None:
            cell.unassessed += 1
            continue
        cell.judged += 1
        if cell.level is None or level.score < cell.level.score:
            cell.level = level
    return cell
