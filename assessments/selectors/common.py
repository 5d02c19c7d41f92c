"""What the other selectors build on: the response status as a filter in SQL, and the assessments a
user may see with their progress counts, as a list or one at a time."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from assessments.models import (
    Assessment,
    Response,
    ResponseStatus,
)
from forces.scoping import loaded_for


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


def assessments_with_progress(*, user) -> QuerySet[Assessment]:
    """Assessments the user may see, with force, edition and response counts (one query).

    `response_completed` counts responses whose status is completed (judged and explained), as the
    task list does. Each count is a subquery over that assessment's responses, so reading one
    assessment by id costs what its own responses cost: a GROUP BY over the join took about 60 ms
    for the one new assessment of a 1,209-requirement edition.
    """
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(condition: Q | None = None):
        responses = Response.objects.filter(condition or Q(), assessment=OuterRef("pk")).order_by()
        return Coalesce(Subquery(responses.values("assessment").annotate(n=Count("pk")).values("n")), 0)

    return (
        Assessment.objects.visible_to(user)
        .select_related("force", "force__region", "edition")
        .annotate(
            response_total=counted(),
            response_judged=counted(Q(judgement__score__isnull=False)),
            response_completed=counted(response_status_q(ResponseStatus.COMPLETED)),
        )
    )


def assessment_list(*, user) -> QuerySet[Assessment]:
    """`assessments_with_progress` in list order: force, then newest period and revision first."""
    return assessments_with_progress(user=user).order_by("force__name", "-period", "-revision")


def assessment_get(*, user, pk) -> Assessment:
    """One assessment the user may see, else 404 (another force's assessment does not exist for them)."""
    return loaded_for(
        get_object_or_404(
            Assessment.objects.visible_to(user).select_related("force", "force__region", "edition", "created_by"),
            pk=pk,
        ),
        user,
    )
