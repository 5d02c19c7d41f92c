"""Read-only API over the Part A threats of SPR editions (the editions themselves: capabilities.api).

Everything here is the published text of the SPR, readable by every signed-in user of every force:
`visible_to` is still the starting point so that the rule stays in one place.
"""

from rest_framework import viewsets

from threats.api.filters import ThreatFilter
from threats.api.serializers import ThreatSerializer
from threats.models import Threat


class ThreatViewSet(viewsets.ReadOnlyModelViewSet):
    """The national threats of Part A, in the edition's order.

    A threat's code is unique only within its edition, so the detail route takes the id; to find a
    threat by code use `?edition=spr-2012&code=terrorism`.
    """

    serializer_class = ThreatSerializer
    filterset_class = ThreatFilter

    def get_queryset(self):
        return (
            Threat.objects.visible_to(self.request.user)
            .select_related("edition")
            .order_by("-edition__published_on", "edition__code", "position", "id")
        )
