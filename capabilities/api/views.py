"""Read-only API over Part B: areas and requirements, with the text exactly as published."""

from django.db.models import Prefetch
from rest_framework import viewsets

from capabilities.api.filters import AreaFilter, RequirementFilter
from capabilities.api.serializers import AreaSerializer, RequirementSerializer
from capabilities.models import Area, Requirement
from threats.models import Threat


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
