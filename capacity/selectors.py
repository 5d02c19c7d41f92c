"""Reads of forces' capacity returns."""

from __future__ import annotations

from django.db.models import QuerySet

from capacity.models import CapacityCommitment


def commitment_list(*, user) -> QuerySet:
    """Capacity figures the user may see: their own forces' (force roles), every force's (national
    roles); force, region and capability fetched in the same query."""
    return (
        CapacityCommitment.objects.visible_to(user)
        .select_related("force", "force__region", "capability")
        .order_by("force__name", "-period", "capability__position", "id")
    )
