from django_filters import rest_framework as filters

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from core.filters import CodeFilter
from forces.models import Force


class CapacityCommitmentFilter(filters.FilterSet):
    force = CodeFilter("force__code", queryset=Force.objects.all(), noun="force", label="Force code")
    capability = CodeFilter(
        "capability__code", queryset=CapacityCapability.objects.all(), noun="capability", label="Capability code"
    )
    period = filters.CharFilter(help_text="The financial year, e.g. `2025/26`.")

    class Meta:
        model = CapacityCommitment
        fields = ["force", "capability", "period"]


class ExpectedContributionFilter(filters.FilterSet):
    force = CodeFilter("force__code", queryset=Force.objects.all(), noun="force", label="Force code")
    capability = CodeFilter(
        "capability__code", queryset=CapacityCapability.objects.all(), noun="capability", label="Capability code"
    )
    period = filters.CharFilter(help_text="The financial year, e.g. `2025/26`.")

    class Meta:
        model = ExpectedContribution
        fields = ["force", "capability", "period"]
