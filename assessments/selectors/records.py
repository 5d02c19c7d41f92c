"""The evidence, departures and actions a user may see, as lists or one at a time, the overdue
actions, and the requirements an assessment's records can refer to."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    Departure,
    Evidence,
)
from capabilities.editions.lineage import Lineage, edition_chain
from capabilities.models import Requirement
from core.roles import sees_all_forces
from forces.scoping import force_ids_for
from threats.models import Edition


def evidence_list(*, user, force_id: int | None = None) -> QuerySet[Evidence]:
    """The items the user may read. `response_count` counts only the responses of the user's own
    forces (all, for national roles): a shared item's count never tells one force about another's."""
    cited_by = Q() if sees_all_forces(user) else Q(responses__assessment__force_id__in=force_ids_for(user))
    queryset = (
        Evidence.objects.visible_to(user)
        .select_related("force", "created_by", "created_by__profile")
        .annotate(response_count=Count("responses", filter=cited_by, distinct=True))
    )
    if force_id is not None:
        queryset = queryset.filter(force_id=force_id)
    return queryset.order_by("title", "id")


def evidence_get(*, user, pk) -> Evidence:
    return get_object_or_404(
        Evidence.objects.visible_to(user)
        .select_related("force", "created_by", "created_by__profile", "agreement")
        .prefetch_related("shared_with"),
        pk=pk,
    )


def _with_citations(queryset: QuerySet[Evidence], force_id: int) -> list[Evidence]:
    """The items, each with its `citation` as a response of `force_id` cites it: "own", "shared"
    (another force shares it now) or "withdrawn" (cited while shared; the owner has since withdrawn
    sharing). One query."""
    shared_here = Evidence.shared_with.through.objects.filter(evidence_id=OuterRef("pk"), force_id=force_id)
    items = list(queryset.select_related("force").annotate(shared_here=Exists(shared_here)).order_by("title", "id"))
    for item in items:
        if item.force_id == force_id:
            item.citation = "own"
        else:
            item.citation = "shared" if item.shared_here else "withdrawn"
    return items


def evidence_citable(*, force_id: int, linked_ids=()) -> list[Evidence]:
    """What a response (or departure) of `force_id` may cite: the force's library, items other
    forces share with it, and items it already cites (`linked_ids`, a list or a subquery) even if no
    longer shared; each with its `citation` (one query)."""
    mine = Evidence.objects.of_forces([force_id]).values("id")
    return _with_citations(Evidence.objects.filter(Q(id__in=mine) | Q(id__in=linked_ids)), force_id)


def evidence_cited(*, response) -> list[Evidence]:
    """The items a response cites, each with its `citation` (one query)."""
    return _with_citations(Evidence.objects.filter(responses=response), response.assessment.force_id)


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
        "assessment", "assessment__force", "requirement", "created_by", "created_by__profile", "owner_user__profile"
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("due_date", "id")


def overdue_actions(*, user) -> QuerySet[Action]:
    return action_list(user=user).filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())


def requirements_of(assessment: Assessment) -> QuerySet[Requirement]:
    return Requirement.objects.filter(edition_id=assessment.edition_id).order_by("position")


@dataclass
class NewRequirements:
    """The requirements of an assessment's edition that are new to its force, and the edition they are
    new since (the one the force last answered; the one the edition follows for a force with no
    earlier assessment). Iterates over the requirements; false when there are none."""

    since: Edition | None = None
    requirements: list[Requirement] = field(default_factory=list)

    def __iter__(self):
        return iter(self.requirements)

    def __len__(self) -> int:
        return len(self.requirements)


def new_requirements_of(*, assessment: Assessment) -> NewRequirements:
    """The requirements that need a first answer because the edition is new to this force: in the
    force's first assessment under an edition that follows another, those that continue nothing the
    force last answered. After the edition it follows, those its mapping says continue nothing; after
    an edition further back down the line (the force skipped one), also those that came in at a
    skipped edition, read through every mapping on the way (capabilities.editions.lineage). Empty
    otherwise. Two queries (three with the edition it follows), four after a skipped edition."""
    edition = assessment.edition
    if edition.follows_id is None:
        return NewRequirements()
    last = (
        Assessment.objects.filter(force_id=assessment.force_id, period__lt=assessment.period)
        .order_by("-period", "-revision")
        .values_list("edition_id", flat=True)
        .first()
    )
    if last == edition.pk:
        return NewRequirements()
    ours = Requirement.objects.filter(edition_id=edition.pk).order_by("position")
    new_at_this_change = ours.filter(mapping__isnull=False, mapping__previous__isnull=True).distinct()
    chain = edition_chain(edition) if last not in (None, edition.follows_id) else []
    answered = next((index for index, row in enumerate(chain) if row.pk == last), None)
    if answered is None:
        # After the edition it follows, or with no earlier assessment (or one off this line): this
        # change is what the force has to catch up with.
        return NewRequirements(since=edition.follows, requirements=list(new_at_this_change))
    continued = Lineage.of(chain[: answered + 1]).continued_by(chain[answered])
    return NewRequirements(
        since=chain[answered],
        requirements=[r for r in ours.filter(mapping__isnull=False).distinct() if r.pk not in continued],
    )
