"""Read-only API over forces and regions: public facts, readable by every signed-in user."""

from django.db.models import Count
from rest_framework import viewsets

from forces.api.filters import ForceFilter
from forces.api.serializers import ForceSerializer, RegionSerializer
from forces.models import Force, Region
from forces.selectors import force_list


class ForceViewSet(viewsets.ReadOnlyModelViewSet):
    """Police forces of England and Wales with their current policing body. Look one up by its code."""

    serializer_class = ForceSerializer
    filterset_class = ForceFilter
    lookup_field = "code"

    def get_queryset(self):
        return force_list(user=self.request.user)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """NPCC regions with how many forces each holds. Look one up by its code."""

    serializer_class = RegionSerializer
    lookup_field = "code"

    def get_queryset(self):
        # Regions carry no rule of their own: a region is visible when its forces are.
        visible = Force.objects.visible_to(self.request.user)
        return Region.objects.filter(forces__in=visible).annotate(force_count=Count("forces")).order_by("name")
