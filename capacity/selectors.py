"""Reads of forces' capacity returns: the figures a user may see, and their sums against the national
planning assumptions (the national view, its CSV and API)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from forces.catalogue import all_forces, all_regions
from forces.models import Force, Region


def commitment_list(*, user) -> QuerySet:
    """Capacity figures the user may see: their own forces' (force roles), every force's (national
    roles); force, region and capability fetched in the same query."""
    return (
        CapacityCommitment.objects.visible_to(user)
        .select_related("force", "force__region", "capability")
        .order_by("force__name", "-period", "capability__position", "id")
    )


ILLUSTRATIVE_MARK = "ILLUSTRATIVE"


def capability_is_illustrative(capability: CapacityCapability) -> bool:
    """A planning assumption is illustrative while its description says so (the starting set loaded
    with the service does, until a national administrator replaces the figure and the wording)."""
    return ILLUSTRATIVE_MARK in (capability.description or "").upper()


@dataclass
class CapacityLine:
    """One capability's figures over a set of forces (all of them, or one region's): what they were
    expected to contribute, what they committed and have available, and who has not reported.

    `forces` is how many of the `total_forces` reported; no verdict ("meets") is given until every
    one of them has (`complete`): a force that has not reported is unknown, not zero.
    """

    capability: CapacityCapability
    committed: int = 0
    available: int = 0
    forces: int = 0
    longest_notice_hours: int | None = None
    total_forces: int = 0
    expected: int | None = None  # None: no expected contribution set for any of the forces
    shortfall: int = 0  # sum over reporting forces of what they committed short of their expectation
    not_reported_expected: int = 0  # expected of the forces that have not reported
    expected_unofficial: bool = False

    @property
    def assumption(self) -> int:
        return self.capability.national_planning_assumption

    @property
    def not_reported(self) -> int:
        return max(0, self.total_forces - self.forces)

    @property
    def complete(self) -> bool:
        return self.total_forces > 0 and self.forces >= self.total_forces

    @property
    def coverage(self) -> str:
        return f"{self.forces} of {self.total_forces}"

    @property
    def available_text(self) -> str:
        """Available of committed ("12 of 15"), as the national view's region table writes it: one
        gettext a cell, where a {% blocktranslate %} in that loop cost the page a tenth of its time."""
        return gettext("%(available)s of %(committed)s") % {"available": self.available, "committed": self.committed}

    @property
    def reported_text(self) -> str:
        return gettext("(%(coverage)s reported)") % {"coverage": self.coverage}

    @property
    def illustrative(self) -> bool:
        return capability_is_illustrative(self.capability) or self.expected_unofficial

    @property
    def shortfall_committed(self) -> int:
        return max(0, self.assumption - self.committed)

    @property
    def shortfall_available(self) -> int:
        return max(0, self.assumption - self.available)

    @property
    def meets(self) -> bool | None:
        """True or False once every force has reported; None (unknown) before."""
        if not self.complete:
            return None
        return not self.shortfall_available and not self.shortfall

    @property
    def verdict(self) -> str:
        """In words, for pages, PDFs and CSVs: never "meets" while a force has not reported."""
        if self.meets is None:
            return gettext("Not known until every force reports (%(coverage)s reported)") % {"coverage": self.coverage}
        if self.meets:
            return gettext("Meets the assumption and expected contributions")
        if self.shortfall_available:
            return gettext("Short of the assumption by %(count)s") % {"count": self.shortfall_available}
        return gettext("Short of expected contributions by %(count)s") % {"count": self.shortfall}


@dataclass
class CapacitySummary:
    period: str
    national: list[CapacityLine]
    by_region: list[tuple[Region, list[CapacityLine]]]
    total_forces: int = 0
    reporting_forces: int = 0

    @property
    def shortfalls(self) -> list[CapacityLine]:
        return [line for line in self.national if line.complete and line.shortfall_available]

    @property
    def complete(self) -> bool:
        return self.total_forces > 0 and self.reporting_forces >= self.total_forces

    @property
    def coverage(self) -> str:
        """ "3 of 46": forces that reported any figure for the period, of the forces the service has."""
        return f"{self.reporting_forces} of {self.total_forces}"

    @property
    def illustrative(self) -> bool:
        return any(line.illustrative for line in self.national)


def _add(line: CapacityLine, force_id: int, figures: dict | None, expectation) -> None:
    line.total_forces += 1
    if expectation is not None:
        line.expected = (line.expected or 0) + expectation[0]
        line.expected_unofficial = line.expected_unofficial or not expectation[1]
    if figures is None:
        if expectation is not None:
            line.not_reported_expected += expectation[0]
        return
    line.forces += 1
    line.committed += figures["committed"]
    line.available += figures["available"]
    line.longest_notice_hours = max(line.longest_notice_hours or 0, figures["notice_period_hours"])
    if expectation is not None:
        line.shortfall += max(0, expectation[0] - figures["committed"])


def capacity_summary(*, period: str, region: Region | None = None) -> CapacitySummary:
    """Expected, committed and available figures per capability, summed nationally and per region,
    against the national planning assumption, with coverage: how many of the forces the service has
    reported (three queries, however many forces: forces and regions come from forces.catalogue).
    Capacity figures are not force-confidential assessment content: the national view's users see
    every force's."""
    capabilities = list(CapacityCapability.objects.order_by("position", "name"))
    regions = {r.id: r for r in all_regions()}
    forces = [(force.id, force.region_id) for force in all_forces()]
    commitments = {
        (row["force_id"], row["capability_id"]): row
        for row in CapacityCommitment.objects.filter(period=period).values(
            "force_id", "capability_id", "committed", "available", "notice_period_hours"
        )
    }
    expectations = {
        (force_id, capability_id): (expected, official)
        for force_id, capability_id, expected, official in ExpectedContribution.objects.filter(
            period=period
        ).values_list("force_id", "capability_id", "expected", "official")
    }
    return summarise(
        period=period,
        capabilities=capabilities,
        regions=regions,
        forces=forces,
        commitments=commitments,
        expectations=expectations,
        region=region,
    )


def summarise(
    *,
    period: str,
    capabilities: list[CapacityCapability],
    regions: dict[int, Region],
    forces: list[tuple[int, int]],
    commitments: dict[tuple[int, int], dict],
    expectations: dict[tuple[int, int], tuple[int, bool]],
    region: Region | None = None,
) -> CapacitySummary:
    """The summary of rows already read (no query): `forces` as (id, region id), `commitments` by
    (force id, capability id) with committed, available and notice_period_hours, `expectations` by
    the same key as (expected, official). The national PDF calls it on its frozen inputs."""
    national = {c.id: CapacityLine(c) for c in capabilities}
    by_region: dict[int, dict[int, CapacityLine]] = {}
    reporting = set()
    for force_id, region_id in forces:
        per = by_region.setdefault(region_id, {c.id: CapacityLine(c) for c in capabilities})
        for c in capabilities:
            figures = commitments.get((force_id, c.id))
            expectation = expectations.get((force_id, c.id))
            _add(national[c.id], force_id, figures, expectation)
            _add(per[c.id], force_id, figures, expectation)
            if figures is not None:
                reporting.add(force_id)
    region_lines = [
        (regions[rid], [lines[c.id] for c in capabilities])
        for rid, lines in sorted(by_region.items(), key=lambda item: regions[item[0]].name)
        if region is None or rid == region.id
    ]
    return CapacitySummary(
        period=period,
        national=[national[c.id] for c in capabilities],
        by_region=region_lines,
        total_forces=len(forces),
        reporting_forces=len(reporting),
    )


@dataclass
class ForceCapacityLine:
    """One force's figures for one capability: expected, committed (None: not reported), shortfall."""

    capability: CapacityCapability
    expected: int | None
    official: bool
    commitment: CapacityCommitment | None

    @property
    def reported(self) -> bool:
        return self.commitment is not None

    @property
    def committed(self) -> int | None:
        return self.commitment.committed if self.commitment else None

    @property
    def shortfall(self) -> int | None:
        if self.commitment is None or self.expected is None:
            return None
        return max(0, self.expected - self.commitment.committed)

    @property
    def illustrative(self) -> bool:
        return capability_is_illustrative(self.capability) or (self.expected is not None and not self.official)


def force_capacity(*, force_id: int, period: str) -> list[ForceCapacityLine]:
    """One force's expected and committed figures per capability for a period (three queries)."""
    capabilities = list(CapacityCapability.objects.order_by("position", "name"))
    commitments = {c.capability_id: c for c in CapacityCommitment.objects.filter(force_id=force_id, period=period)}
    expectations = {e.capability_id: e for e in ExpectedContribution.objects.filter(force_id=force_id, period=period)}
    return [
        ForceCapacityLine(
            capability=c,
            expected=expectations[c.id].expected if c.id in expectations else None,
            official=expectations[c.id].official if c.id in expectations else False,
            commitment=commitments.get(c.id),
        )
        for c in capabilities
    ]


def expected_list(*, user) -> QuerySet:
    """Expected contributions the user may see, with force and capability in the same query."""
    return (
        ExpectedContribution.objects.visible_to(user)
        .select_related("force", "capability")
        .order_by("-period", "force__name", "capability__position", "id")
    )


def capacity_coverage(*, period: str) -> dict:
    """{"reporting_forces", "total_forces"}: forces that reported any figure for the period, of the
    forces the service has (one query)."""
    return Force.objects.aggregate(
        total_forces=Count("id", distinct=True),
        reporting_forces=Count("id", filter=Q(capacity_commitments__period=period), distinct=True),
    )
