"""Filters of the editions and threats endpoints (the code filters themselves are core.filters)."""

from __future__ import annotations

from django_filters import rest_framework as filters

from core.filters import CodeFilter
from threats.models import Edition, Threat


def edition_filter() -> CodeFilter:
    return CodeFilter("edition__code", queryset=Edition.objects.published(), noun="edition", label="Edition code")


class EditionFilter(filters.FilterSet):
    class Meta:
        model = Edition
        fields = ["status"]


class ThreatFilter(filters.FilterSet):
    edition = edition_filter()
    code = filters.CharFilter(help_text="The threat's code (unique within an edition).")

    class Meta:
        model = Threat
        fields = ["edition", "code", "nsra_tier"]
