"""Reads of collaboration agreements: the register (a party force sees the agreements it is party
to, national roles see all), one agreement, and what the task list, dashboard, accountability report
and national view show of them. Each runs a fixed number of queries however many agreements."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from capabilities.models import Requirement
from collaboration.models import Agreement, AgreementParty
from collaboration.permissions import CONFIRMING_ROLES
from core.roles import has_role
from forces.catalogue import all_regions
from forces.models import Force, Region
from forces.scoping import force_ids_for


def _parties() -> Prefetch:
    return Prefetch(
        "parties",
        queryset=AgreementParty.objects.select_related(
            "force", "policing_body", "confirmed_by", "confirmed_by__profile"
        ).order_by("force__name"),
    )


def agreement_list(*, user) -> QuerySet[Agreement]:
    """The agreements the user may see, with their lead force and parties (three queries)."""
    return (
        Agreement.objects.visible_to(user)
        .select_related("lead_force", "lead_force__region")
        .prefetch_related(_parties())
        .order_by("title", "id")
    )


def agreement_get(*, user, pk) -> Agreement:
    """One agreement the user may see (404 otherwise), with parties, requirements and capabilities."""
    return get_object_or_404(
        Agreement.objects.visible_to(user)
        .select_related("lead_force", "created_by", "created_by__profile")
        .prefetch_related(
            _parties(),
            Prefetch("requirements", queryset=Requirement.objects.select_related("edition").order_by("position")),
            "capabilities",
        ),
        pk=pk,
    )


def agreement_parties_get(*, user, pk) -> Agreement:
    """One agreement the user may see (404 otherwise) with its lead force and parties, for the page
    that changes its parties (two queries)."""
    return get_object_or_404(
        Agreement.objects.visible_to(user).select_related("lead_force").prefetch_related(_parties()), pk=pk
    )


def forces_not_party(*, agreement: Agreement) -> QuerySet[Force]:
    """The forces that may be added to an agreement: every force not already a party (nor its lead)."""
    parties = AgreementParty.objects.filter(agreement=agreement).values("force_id")
    return (
        Force.objects.exclude(pk=agreement.lead_force_id)
        .exclude(pk__in=parties)
        .select_related("region")
        .order_by("name")
    )


def agreements_of_force(force_id: int) -> QuerySet[Agreement]:
    """The agreements a force leads or is party to (the caller has already decided the user may see
    the force's work)."""
    parties = AgreementParty.objects.filter(force_id=force_id).values("agreement_id")
    return Agreement.objects.filter(Q(lead_force_id=force_id) | Q(id__in=parties))


def agreements_by_requirement(*, force_id: int, requirement_ids) -> dict[int, list[str]]:
    """{requirement id: titles of the force's agreements that deliver it}, in one query."""
    covered: dict[int, list[str]] = defaultdict(list)
    rows = (
        Agreement.requirements.through.objects.filter(
            requirement_id__in=list(requirement_ids), agreement__in=agreements_of_force(force_id)
        )
        .order_by("agreement__title")
        .values_list("requirement_id", "agreement__title")
    )
    for requirement_id, title in rows:
        covered[requirement_id].append(title)
    return dict(covered)


def _review_overdue_q() -> Q:
    today = timezone.localdate()
    return Q(review_date__lt=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


@dataclass(frozen=True)
class AgreementSummary:
    """What the force dashboard shows: how many agreements and how many are past their review."""

    total: int
    review_overdue: int


def agreement_summary(*, force_id: int) -> AgreementSummary:
    """Counts for one force's dashboard, in one query."""
    counts = agreements_of_force(force_id).aggregate(total=Count("id"), overdue=Count("id", filter=_review_overdue_q()))
    return AgreementSummary(total=counts["total"], review_overdue=counts["overdue"])


@dataclass(frozen=True)
class RegionAgreements:
    """The national view's line for a region: its forces' agreements and those past review."""

    region: Region
    total: int
    review_overdue: int
    titles: tuple[str, ...]


def agreements_by_region(*, user) -> list[RegionAgreements]:
    """Agreements the user may see grouped by their lead force's region (one query)."""
    today = timezone.localdate()
    grouped: dict[int, list[Agreement]] = defaultdict(list)
    for agreement in Agreement.objects.visible_to(user).select_related("lead_force").order_by("title"):
        grouped[agreement.lead_force.region_id].append(agreement)
    regions = [region for region in all_regions() if region.id in grouped]
    lines = []
    for region in regions:
        items = grouped[region.id]
        overdue = sum(
            1
            for item in items
            if item.review_date and item.review_date < today and not (item.end_date and item.end_date < today)
        )
        lines.append(RegionAgreements(region, len(items), overdue, tuple(item.title for item in items)))
    return lines


def party_force_choices(*, lead_force: Force | None = None) -> QuerySet[Force]:
    """Forces that may be named as parties: every force (force facts are public), but the lead."""
    forces = Force.objects.select_related("region").order_by("name")
    return forces.exclude(pk=lead_force.pk) if lead_force is not None else forces


def parties_to_confirm(*, user) -> list[AgreementParty]:
    """The unconfirmed parts of agreements the user may confirm for their forces (one query), for the
    home page's "waiting for you"."""
    if not has_role(user, *CONFIRMING_ROLES):
        return []
    return list(
        AgreementParty.objects.filter(force_id__in=force_ids_for(user), confirmed_at__isnull=True)
        .select_related("agreement", "force")
        .order_by("agreement__title", "force__name")
    )
