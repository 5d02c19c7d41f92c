"""Reads of forces' capacity returns: the figures a user may see, and their sums against the national
planning assumptions (the national view, its CSV and API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, QuerySet, Sum

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment
from forces.models import Region


def commitment_list(*, user) -> QuerySet:
    """Capacity figures the user may see: their own forces' (force roles), every force's (national
    roles); force, region and capability fetched in the same query."""
    return (
        CapacityCommitment.objects.visible_to(user)
        .select_related("force", "force__region", "capability")
        .order_by("force__name", "-period", "capability__position", "id")
    )


@dataclass
class CapacityLine:
    capability: CapacityCapability
    committed: int = 0
    available: int = 0
    forces: int = 0
    longest_notice_hours: int | None = None

    @property
    def assumption(self) -> int:
        return self.capability.national_planning_assumption

    @property
    def shortfall_committed(self) -> int:
        return max(0, self.assumption - self.committed)

    @property
    def shortfall_available(self) -> int:
        return max(0, self.assumption - self.available)


@dataclass
class CapacitySummary:
    period: str
    national: list[CapacityLine]
    by_region: list[tuple[Region, list[CapacityLine]]]

    @property
    def shortfalls(self) -> list[CapacityLine]:
        return [line for line in self.national if line.shortfall_available]


def capacity_summary(*, period: str, region: Region | None = None) -> CapacitySummary:
    """Committed and available figures per capability, summed nationally and per region, against the
    national planning assumption (three queries). Capacity figures are not force-confidential
    assessment content: the national view's users see every force's."""
    capabilities = list(CapacityCapability.objects.order_by("position", "name"))
    rows = (
        CapacityCommitment.objects.filter(period=period)
        .values("force__region_id", "capability_id")
        .annotate(
            committed=Sum("committed"),
            available=Sum("available"),
            forces=Count("force_id", distinct=True),
            longest=Max("notice_period_hours"),
        )
        .order_by()
    )
    regions = {r.id: r for r in Region.objects.order_by("name")}
    national = {c.id: CapacityLine(c) for c in capabilities}
    by_region: dict[int, dict[int, CapacityLine]] = {}
    for row in rows:
        line = national[row["capability_id"]]
        line.committed += row["committed"] or 0
        line.available += row["available"] or 0
        line.forces += row["forces"]
        line.longest_notice_hours = max(line.longest_notice_hours or 0, row["longest"] or 0)
        per = by_region.setdefault(row["force__region_id"], {c.id: CapacityLine(c) for c in capabilities})
        regional = per[row["capability_id"]]
        regional.committed, regional.available, regional.forces = row["committed"], row["available"], row["forces"]
        regional.longest_notice_hours = row["longest"]
    region_lines = [
        (regions[rid], [lines[c.id] for c in capabilities])
        for rid, lines in sorted(by_region.items(), key=lambda item: regions[item[0]].name)
        if region is None or rid == region.id
    ]
    return CapacitySummary(period=period, national=[national[c.id] for c in capabilities], by_region=region_lines)
