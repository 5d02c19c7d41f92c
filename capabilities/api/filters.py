"""Filters for Part B. Codes, not ids; an unknown code answers 400 (see threats.api.filters)."""

from django_filters import rest_framework as filters

from capabilities.models import Area, Requirement
from core.filters import CodeFilter
from threats.api.filters import edition_filter
from threats.models import Threat


class AreaFilter(filters.FilterSet):
    edition = edition_filter()
    code = filters.CharFilter(help_text="The area's code (unique within an edition).")

    class Meta:
        model = Area
        fields = ["edition", "code"]


class RequirementFilter(filters.FilterSet):
    edition = edition_filter()
    # distinct: a requirement is matched through a many-to-many join.
    area = CodeFilter("areas__code", queryset=Area.objects.all(), noun="area", label="Area code", distinct=True)
    threat = CodeFilter(
        "threats__code", queryset=Threat.objects.all(), noun="threat", label="Threat code", distinct=True
    )
    ref = filters.CharFilter(help_text="The requirement's reference, e.g. `3.2(a)(ii)`.")
    paragraph = filters.CharFilter(help_text="The numbered paragraph, e.g. `4.1`.")

    class Meta:
        model = Requirement
        fields = ["edition", "area", "threat", "ref", "paragraph"]
