"""API over Part B: editions (with their counts), areas and requirements (read-only, the text exactly
as published), and the capacity capabilities (read-only here; forces' figures are capacity.api)."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from rest_framework import viewsets

from capabilities.api.filters import AreaFilter, RequirementFilter
from capabilities.api.serializers import (
    AreaSerializer,
    CapacityCapabilitySerializer,
    RequirementSerializer,
)
from capabilities.models import Area, CapacityCapability, Requirement
from threats.api.filters import EditionFilter
from threats.api.serializers import EditionSerializer
from threats.models import Edition, JudgementLevel, Threat


def _count_per_edition(model) -> Coalesce:
    # One correlated subquery per count: joining threats, areas and requirements together would
    # multiply the rows (threats x areas x requirements) before counting.
    counted = (
        model.objects.filter(edition=OuterRef("pk")).order_by().values("edition").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """SPR editions, newest first, each with its judgement scale. Look one up by its code (`spr-2012`)."""

    serializer_class = EditionSerializer
    filterset_class = EditionFilter
    lookup_field = "code"

    def get_queryset(self):
        return (
            Edition.objects.visible_to(self.request.user)
            .annotate(
                threat_count=_count_per_edition(Threat),
                area_count=_count_per_edition(Area),
                requirement_count=_count_per_edition(Requirement),
            )
            .prefetch_related(Prefetch("judgement_levels", queryset=JudgementLevel.objects.order_by("position", "id")))
            .order_by("-published_on", "code")
        )


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The areas of Part B (the five Cs in 2012).

    An area's code is unique only within its edition, so the detail route takes the id; to find an
    area by code use `?edition=spr-2012&code=capability`.
    """

    serializer_class = AreaSerializer
    filterset_class = AreaFilter

    def get_queryset(self):
        return (
            Area.objects.visible_to(self.request.user)
            .select_related("edition")
            .order_by("-edition__published_on", "edition__code", "position", "id")
        )


class RequirementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every assessable requirement, in the edition's order.

    Refs such as `3.2(a)(ii)` are unique only within an edition and awkward in a path, so the detail
    route takes the id; to find one by ref use `?edition=spr-2012&ref=3.2(a)(ii)`.
    """

    serializer_class = RequirementSerializer
    filterset_class = RequirementFilter

    def get_queryset(self):
        user = self.request.user
        return (
            Requirement.objects.visible_to(user)
            .select_related("edition")
            .prefetch_related(
                Prefetch("areas", queryset=Area.objects.visible_to(user).only("id", "code").order_by("position")),
                Prefetch("threats", queryset=Threat.objects.visible_to(user).only("id", "code").order_by("position")),
            )
            .order_by("-edition__published_on", "edition__code", "position", "id")
        )


# --- Capacity planning -------------------------------------------------------------------------------


class CapacityCapabilityViewSet(viewsets.ReadOnlyModelViewSet):
    """The capabilities forces report capacity for, with their national planning assumptions (the
    ones loaded with the service are ILLUSTRATIVE until a national administrator sets them)."""

    serializer_class = CapacityCapabilitySerializer
    queryset = CapacityCapability.objects.order_by("position", "name")
    lookup_field = "code"
    filterset_class = None
