"""Read-only API over SPR editions and their Part A threats.

Everything here is the published text of the SPR, readable by every signed-in user of every force:
`visible_to` is still the starting point so that the rule stays in one place.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from rest_framework import viewsets

from capabilities.models import Area, Requirement
from threats.api.filters import EditionFilter, ThreatFilter
from threats.api.serializers import EditionSerializer, ThreatSerializer
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
