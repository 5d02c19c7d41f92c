"""The GOV.UK task list and the check answers page: each requirement's line worked out once, grouped
by threat and by area, in a fixed number of queries whatever the size of the edition."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from assessments.models import (
    Assessment,
    Evidence,
    Response,
    ResponseStatus,
)
from capabilities.models import Area, Requirement
from collaboration.selectors import agreements_by_requirement
from core.links import reverser
from core.people import display_name
from core.text import short_text
from threats.models import Threat


@dataclass(frozen=True)
class TaskItem:
    """One requirement's line of the task list, worked out once however many groups list it."""

    ref: str
    url: str
    hint: str
    status: ResponseStatus
    threats: tuple[str, ...] = ()  # names, or just "All threats" for a requirement that serves every one
    areas: tuple[str, ...] = ()
    owner: str = ""  # "Name, job title" of the person who owns it, "" for nobody
    agreements: tuple[str, ...] = ()  # titles of the force's collaboration agreements that deliver it


@dataclass(frozen=True)
class TaskRow:
    item: TaskItem
    id: str  # unique on the page: the hint's and the status's ids are built from it


@dataclass
class TaskGroup:
    """A group of the task list (one threat or one area) with its rows and counts."""

    code: str
    name: str
    rows: list[TaskRow] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(row.item.status == ResponseStatus.COMPLETED for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class TaskList:
    responses: list[Response]
    by_threat: list[TaskGroup]
    by_area: list[TaskGroup]
    by_section: list[TaskGroup] = field(default_factory=list)  # each requirement once, in document order

    @property
    def counts(self) -> Counter:
        return Counter(response.status for response in self.responses)

    @property
    def completed(self) -> int:
        return self.counts[ResponseStatus.COMPLETED]

    @property
    def total(self) -> int:
        return len(self.responses)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def task_responses(*, assessment: Assessment) -> QuerySet[Response]:
    """What the task list reads of each response: its requirement's ref and text, its judgement and
    what its status needs (no evidence, editor or long requirement columns)."""
    return (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement", "owner__profile")
        .only(
            "id",
            "assessment_id",
            "narrative",
            "version",
            "requirement__id",
            "requirement__ref",
            "requirement__section",
            "requirement__text",
            "judgement__id",
            "judgement__label",
            "judgement__score",
            "owner_id",
            "owner__id",
            "owner__username",
            "owner__first_name",
            "owner__last_name",
            "owner__profile__id",
            "owner__profile__job_title",
        )
        .order_by("requirement__position")
    )


def task_list(*, assessment: Assessment, owner_id: int | None = None) -> TaskList:
    """The GOV.UK task list: responses grouped by the edition's sections (each requirement once, with
    its threats and areas to show as tags), and by threat and by area, with their statuses and owners,
    in five queries whatever the size of the edition (six with the force's collaboration agreements).

    In `by_threat` a requirement serving several threats appears under each of them. With `owner_id`
    the groups list only the requirements that person owns (groups left empty are left out); the
    counts of the whole assessment (`responses`) stay whole.
    """
    responses = list(task_responses(assessment=assessment))
    page = reverser("assessments:response", int, str)
    threats = list(
        Threat.objects.filter(edition_id=assessment.edition_id).only("id", "code", "name").order_by("position")
    )
    areas = list(Area.objects.filter(edition_id=assessment.edition_id).only("id", "code", "name").order_by("position"))
    by_threat = {threat.id: TaskGroup(threat.code, threat.name) for threat in threats}
    by_area = {area.id: TaskGroup(area.code, area.name) for area in areas}
    ids = [response.requirement_id for response in responses]
    threats_of: dict[int, list[int]] = {rid: [] for rid in ids}
    areas_of: dict[int, list[int]] = {rid: [] for rid in ids}
    for rid, threat_id in Requirement.threats.through.objects.filter(requirement_id__in=ids).values_list(
        "requirement_id", "threat_id"
    ):
        threats_of[rid].append(threat_id)
    for rid, area_id in Requirement.areas.through.objects.filter(requirement_id__in=ids).values_list(
        "requirement_id", "area_id"
    ):
        areas_of[rid].append(area_id)
    delivered = agreements_by_requirement(force_id=assessment.force_id, requirement_ids=ids)
    threat_name = {threat.id: threat.name for threat in threats}
    area_name = {area.id: area.name for area in areas}
    order = {threat.id: n for n, threat in enumerate(threats)}
    by_section: dict[str, TaskGroup] = {}
    for response in responses:
        if owner_id is not None and response.owner_id != owner_id:
            continue
        requirement = response.requirement
        hint = short_text(requirement.text, 140)
        if response.judgement.score is not None:
            hint = f"{hint} Judgement: {response.judgement.label}."
        mine = threats_of[requirement.id]
        every = len(threats) > 1 and len(set(mine)) == len(threats)
        item = TaskItem(
            ref=requirement.ref,
            url=page(assessment.pk, requirement.ref),
            hint=hint,
            status=response.status,
            threats=(str(_("All threats")),)
            if every
            else tuple(threat_name[t] for t in sorted(mine, key=order.__getitem__)),
            areas=tuple(area_name[a] for a in sorted(areas_of[requirement.id], key=list(area_name).index)),
            owner=display_name(response.owner) if response.owner_id else "",
            agreements=tuple(delivered.get(requirement.id, ())),
        )
        section = by_section.setdefault(
            requirement.section, TaskGroup(f"section-{len(by_section) + 1}", requirement.section)
        )
        section.rows.append(TaskRow(item, f"{section.code}-{len(section.rows) + 1}"))
        for groups, members, prefix in ((by_threat, threats_of, "threat"), (by_area, areas_of, "area")):
            for group_id in members[requirement.id]:
                group = groups[group_id]
                group.rows.append(TaskRow(item, f"{prefix}-{group.code}-{len(group.rows) + 1}"))
    threat_groups, area_groups = list(by_threat.values()), list(by_area.values())
    if owner_id is not None:
        threat_groups = [group for group in threat_groups if group.rows]
        area_groups = [group for group in area_groups if group.rows]
    return TaskList(
        responses=responses,
        by_threat=threat_groups,
        by_area=area_groups,
        by_section=list(by_section.values()),
    )


def answers_list(*, assessment: Assessment) -> TaskList:
    """Every response for the check answers page, with the ids of its evidence (the page counts them),
    without the task list's groups: three queries."""
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id")))
        .order_by("requirement__position")
    )
    return TaskList(responses=list(responses), by_threat=[], by_area=[])
