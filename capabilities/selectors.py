"""Reads of Part B: areas and requirements, the threat × area matrix of an edition, and the capacity
capabilities."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from capabilities.models import Area, CapacityCapability, Requirement
from threats.models import Edition, Threat


def requirement_list(*, edition: Edition) -> QuerySet[Requirement]:
    """The edition's requirements in document order, areas and threats prefetched: three queries
    however many requirements there are."""
    return Requirement.objects.filter(edition=edition).prefetch_related("areas", "threats").order_by("position", "ref")


def requirement_get(*, user, edition_code: str, ref: str) -> Requirement:
    """One requirement with its edition, areas and threats.

    Raises Requirement.DoesNotExist for an unknown edition or ref, or one the user may not read.
    """
    return (
        Requirement.objects.visible_to(user)
        .select_related("edition")
        .prefetch_related("areas", "threats")
        .get(edition__code=edition_code, ref=ref)
    )


@dataclass(frozen=True)
class MatrixRow:
    threat: Threat
    cells: list[list[Requirement]]  # one list per area, in the matrix's area order


@dataclass(frozen=True)
class RequirementMatrix:
    """Rows are threats, columns areas; each cell holds the requirements linked to both."""

    areas: list[Area]
    rows: list[MatrixRow]


def requirement_matrix(
    *, threats: list[Threat], areas: list[Area], requirements: list[Requirement]
) -> RequirementMatrix:
    """Build the matrix in memory from rows already fetched (no queries if `requirements` came from
    `requirement_list`, whose areas and threats are prefetched)."""
    column = {area.pk: index for index, area in enumerate(areas)}
    row_of = {threat.pk: index for index, threat in enumerate(threats)}
    cells: list[list[list[Requirement]]] = [[[] for _ in areas] for _ in threats]
    for requirement in requirements:
        for threat in requirement.threats.all():
            for area in requirement.areas.all():
                if threat.pk in row_of and area.pk in column:
                    cells[row_of[threat.pk]][column[area.pk]].append(requirement)
    return RequirementMatrix(
        areas=list(areas),
        rows=[MatrixRow(threat=threat, cells=cells[index]) for index, threat in enumerate(threats)],
    )


# --- Capacity planning -------------------------------------------------------------------------------


def capability_list() -> QuerySet:
    """The capacity capabilities in their order (reference data: every signed-in user may read them)."""
    return CapacityCapability.objects.order_by("position", "name")
