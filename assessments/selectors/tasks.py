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
from capabilities.structure import edition_structure
from collaboration.selectors import agreements_by_requirement
from core.links import reverser
from core.people import display_name
from core.text import short_text


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
    its threats and areas to show as tags), with their statuses and owners, in two queries whatever
    the size of the edition (one for the responses, one for the force's collaboration agreements; the
    edition's threats and areas come from capabilities.structure).

    With `owner_id` the sections list only the requirements that person owns (sections left empty are
    left out); the counts of the whole assessment (`responses`) stay whole.
    """
    responses = list(task_responses(assessment=assessment))
    page = reverser("assessments:response", int, str)
    structure = edition_structure(assessment.edition)
    threats, areas = structure.threats, structure.areas
    ids = [response.requirement_id for response in responses]
    threats_of = {rid: structure.threats_of.get(rid, ()) for rid in ids}
    areas_of = {rid: structure.areas_of.get(rid, ()) for rid in ids}
    delivered = agreements_by_requirement(force_id=assessment.force_id, requirement_ids=ids)
    threat_name = {threat.id: threat.name for threat in threats}
    area_name = {area.id: area.name for area in areas}
    order = {threat.id: n for n, threat in enumerate(threats)}
    area_order = {area.id: n for n, area in enumerate(areas)}
    all_threats = (str(_("All threats")),)
    by_section: dict[str, TaskGroup] = {}
    for response in responses:
        if owner_id is not None and response.owner_id != owner_id:
            continue
        requirement = response.requirement
        hint = short_text(requirement.text, 140)
        if response.judgement.score is not None:
            hint = _("%(hint)s Judgement: %(label)s.") % {"hint": hint, "label": response.judgement.label}
        mine = threats_of[requirement.id]
        every = len(threats) > 1 and len(set(mine)) == len(threats)
        item = TaskItem(
            ref=requirement.ref,
            url=page(assessment.pk, requirement.ref),
            hint=hint,
            status=response.status,
            threats=all_threats if every else tuple(threat_name[t] for t in sorted(mine, key=order.__getitem__)),
            areas=tuple(area_name[a] for a in sorted(areas_of[requirement.id], key=area_order.__getitem__)),
            owner=display_name(response.owner) if response.owner_id else "",
            agreements=tuple(delivered.get(requirement.id, ())),
        )
        section = by_section.setdefault(
            requirement.section, TaskGroup(f"section-{len(by_section) + 1}", requirement.section)
        )
        section.rows.append(TaskRow(item, f"{section.code}-{len(section.rows) + 1}"))
    return TaskList(responses=responses, by_section=list(by_section.values()))


def answers_list(*, assessment: Assessment) -> TaskList:
    """Every response for the check answers page, with the ids of its evidence (the page counts them),
    without the task list's groups: three queries."""
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id")))
        .order_by("requirement__position")
    )
    return TaskList(responses=list(responses))
