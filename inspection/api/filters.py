"""The API's filters of the HMIC workspace: the same choices the pages offer (force, status, kind)."""

from django.utils import timezone
from django_filters import rest_framework as filters

from core.filters import CodeFilter
from forces.models import Force
from inspection.models import (
    OVERDUE,
    REQUEST_SHOWN_STATUSES,
    EvidenceRequest,
    EvidenceRequestStatus,
    Finding,
    FindingKind,
    FindingStatus,
)


class EvidenceRequestFilter(filters.FilterSet):
    force = CodeFilter("force__code", queryset=Force.objects.all(), noun="force", label="Force code")
    status = filters.ChoiceFilter(
        choices=REQUEST_SHOWN_STATUSES,
        method="filter_status",
        help_text="`overdue`: open and past its due date; `open`: open and not yet due",
    )

    class Meta:
        model = EvidenceRequest
        fields = ["force", "status"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(status=EvidenceRequestStatus.OPEN, due_date__lt=today)
        if value == EvidenceRequestStatus.OPEN:
            return queryset.filter(status=value, due_date__gte=today)
        return queryset.filter(status=value)


class FindingFilter(filters.FilterSet):
    force = CodeFilter("force__code", queryset=Force.objects.all(), noun="force", label="Force code")
    kind = filters.ChoiceFilter(choices=FindingKind.choices)
    status = filters.ChoiceFilter(choices=FindingStatus.choices)
    period = filters.CharFilter(help_text="The financial year, e.g. `2025/26`.")

    class Meta:
        model = Finding
        fields = ["force", "kind", "status", "period"]
