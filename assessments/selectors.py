"""Every user-facing read of assessments and their records, starting from `visible_to(user)`.

Each selector runs a fixed number of queries however many requirements, responses or evidence
items there are (the tests hold them to it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    Departure,
    Evidence,
    Response,
    ResponseStatus,
)
from capabilities.models import Area, Requirement
from threats.models import Threat


def response_status_q(status: str, prefix: str = "") -> Q:
    """The responses whose `Response.status` would be `status`, as a filter (SQL, not Python).

    Judged: the judgement has a score. Explained: the narrative has a non-space character (`\\S` is
    what `str.strip()` would leave). `prefix` reaches responses from another model, e.g. "responses__".
    """
    judged = Q(**{f"{prefix}judgement__score__isnull": False})
    explained = Q(**{f"{prefix}narrative__regex": r"\S"})
    completed = judged & explained
    touched = judged | explained | Q(**{f"{prefix}version__gt": 1})
    if status == ResponseStatus.COMPLETED:
        return completed
    if status == ResponseStatus.IN_PROGRESS:
        return touched & ~completed
    return ~touched


def assessment_list(*, user) -> QuerySet[Assessment]:
    """Assessments the user may see, with force, edition and response counts (one query).

    `response_completed` counts responses whose status is completed (judged and explained), as the
    task list does.
    """
    return (
        Assessment.objects.visible_to(user)
        .select_related("force", "force__region", "edition")
        .annotate(
            response_total=Count("responses", distinct=True),
            response_judged=Count("responses", filter=Q(responses__judgement__score__isnull=False), distinct=True),
            response_completed=Count(
                "responses", filter=response_status_q(ResponseStatus.COMPLETED, "responses__"), distinct=True
            ),
        )
        .order_by("force__name", "-period", "-revision")
    )


def assessment_get(*, user, pk) -> Assessment:
    """One assessment the user may see, else 404 (another force's assessment does not exist for them)."""
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("force", "force__region", "edition", "created_by"), pk=pk
    )


def responses_for(*, assessment: Assessment) -> QuerySet[Response]:
    """The assessment's responses in edition order with requirement, judgement, areas, threats and
    evidence prefetched."""
    return (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement", "updated_by")
        .prefetch_related(
            Prefetch("requirement__areas", queryset=Area.objects.order_by("position")),
            Prefetch("requirement__threats", queryset=Threat.objects.order_by("position")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("title")),
        )
        .order_by("requirement__position")
    )


def response_list(*, user) -> QuerySet[Response]:
    """Responses of every assessment the user may see, in force, assessment and edition order, with
    what the API shows of each (requirement, judgement, editor, evidence ids) fetched up front."""
    return (
        Response.objects.visible_to(user)
        .select_related("requirement", "judgement", "updated_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id").order_by("id")))
        .order_by("assessment_id", "requirement__position", "id")
    )


def response_get(*, user, assessment_pk, ref: str) -> Response:
    return get_object_or_404(
        Response.objects.visible_to(user)
        .select_related(
            "assessment", "assessment__force", "assessment__edition", "requirement", "judgement", "updated_by"
        )
        .prefetch_related("evidence", "requirement__areas", "requirement__threats"),
        assessment_id=assessment_pk,
        requirement__ref=ref,
    )


@dataclass
class TaskGroup:
    """A group of the task list (one threat or one area) with its responses and counts."""

    code: str
    name: str
    responses: list[Response] = field(default_factory=list)

    @property
    def counts(self) -> Counter:
        return Counter(response.status for response in self.responses)

    @property
    def completed(self) -> int:
        return self.counts[ResponseStatus.COMPLETED]

    @property
    def total(self) -> int:
        return len(self.responses)


@dataclass
class TaskList:
    responses: list[Response]
    by_threat: list[TaskGroup]
    by_area: list[TaskGroup]

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


def task_list(*, assessment: Assessment) -> TaskList:
    """The GOV.UK task list: responses grouped by threat and by area, with their statuses.

    A requirement serving several threats appears under each of them.
    """
    responses = list(responses_for(assessment=assessment))
    threats = list(Threat.objects.filter(edition_id=assessment.edition_id).order_by("position"))
    areas = list(Area.objects.filter(edition_id=assessment.edition_id).order_by("position"))
    by_threat = {threat.id: TaskGroup(threat.code, threat.name) for threat in threats}
    by_area = {area.id: TaskGroup(area.code, area.name) for area in areas}
    for response in responses:
        for threat in response.requirement.threats.all():
            by_threat[threat.id].responses.append(response)
        for area in response.requirement.areas.all():
            by_area[area.id].responses.append(response)
    return TaskList(responses=responses, by_threat=list(by_threat.values()), by_area=list(by_area.values()))


def evidence_list(*, user, force_id: int | None = None) -> QuerySet[Evidence]:
    queryset = (
        Evidence.objects.visible_to(user)
        .select_related("force", "created_by")
        .annotate(response_count=Count("responses", distinct=True))
    )
    if force_id is not None:
        queryset = queryset.filter(force_id=force_id)
    return queryset.order_by("title", "id")


def evidence_get(*, user, pk) -> Evidence:
    return get_object_or_404(Evidence.objects.visible_to(user).select_related("force", "created_by"), pk=pk)


def departure_list(*, user, assessment: Assessment | None = None) -> QuerySet[Departure]:
    queryset = (
        Departure.objects.visible_to(user)
        .select_related("assessment", "assessment__force", "requirement", "created_by")
        .prefetch_related("evidence")
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("assessment__force__name", "requirement__position", "created_at")


def action_list(*, user, assessment: Assessment | None = None) -> QuerySet[Action]:
    queryset = Action.objects.visible_to(user).select_related(
        "assessment", "assessment__force", "requirement", "created_by"
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("due_date", "id")


def overdue_actions(*, user) -> QuerySet[Action]:
    return action_list(user=user).filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())


def requirements_of(assessment: Assessment) -> QuerySet[Requirement]:
    return Requirement.objects.filter(edition_id=assessment.edition_id).order_by("position")
