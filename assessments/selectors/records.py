"""The evidence, departures and actions a user may see, as lists or one at a time, the overdue
actions, and the requirements an assessment's records can refer to."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    Departure,
    Evidence,
)
from capabilities.models import Requirement


def evidence_list(*, user, force_id: int | None = None) -> QuerySet[Evidence]:
    queryset = (
        Evidence.objects.visible_to(user)
        .select_related("force", "created_by", "created_by__profile")
        .annotate(response_count=Count("responses", distinct=True))
    )
    if force_id is not None:
        queryset = queryset.filter(force_id=force_id)
    return queryset.order_by("title", "id")


def evidence_get(*, user, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.visible_to(user).select_related("force", "created_by", "created_by__profile"), pk=pk
    )


def departure_list(*, user, assessment: Assessment | None = None) -> QuerySet[Departure]:
    queryset = (
        Departure.objects.visible_to(user)
        .select_related("assessment", "assessment__force", "requirement", "created_by", "created_by__profile")
        .prefetch_related("evidence")
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("assessment__force__name", "requirement__position", "created_at")


def action_list(*, user, assessment: Assessment | None = None) -> QuerySet[Action]:
    queryset = Action.objects.visible_to(user).select_related(
        "assessment", "assessment__force", "requirement", "created_by", "created_by__profile"
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("due_date", "id")


def overdue_actions(*, user) -> QuerySet[Action]:
    return action_list(user=user).filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())


def requirements_of(assessment: Assessment) -> QuerySet[Requirement]:
    return Requirement.objects.filter(edition_id=assessment.edition_id).order_by("position")


def new_requirements_of(*, assessment: Assessment) -> list[Requirement]:
    """The requirements that need a first answer because the edition is new to this force: in the
    force's first assessment under an edition that follows another, those the edition's mapping says
    continue nothing. Empty otherwise. At most two queries."""
    edition = assessment.edition
    if edition.follows_id is None:
        return []
    earlier = Assessment.objects.filter(
        force_id=assessment.force_id, edition_id=edition.pk, period__lt=assessment.period
    ).exists()
    if earlier:
        return []
    return list(
        Requirement.objects.filter(edition_id=edition.pk, mapping__isnull=False, mapping__previous__isnull=True)
        .order_by("position")
        .distinct()
    )
