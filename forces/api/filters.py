from django_filters import rest_framework as filters

from core.filters import CodeFilter, StrictBooleanFilter
from forces.models import Force, Region


class ForceFilter(filters.FilterSet):
    region = CodeFilter("region__code", queryset=Region.objects.all(), noun="region", label="Region code")
    home_office = StrictBooleanFilter(
        help_text="`true` for the Home Office forces bound by the SPR, `false` for the others."
    )

    class Meta:
        model = Force
        fields = ["region", "home_office"]
