"""What the API shows of a period's deadlines and what it takes to set them."""

from rest_framework import serializers

from assessments.api.serializers.common import StrictInputSerializer, person_field
from core.periods import validate_period
from cycle.models import PeriodDeadlines


class PeriodDeadlinesSerializer(serializers.ModelSerializer):
    """The dates by which every force's self-assessment for the period should be submitted, responded
    to, signed off and published."""

    updated_by = person_field(help_text='Who last set them, "Name, job title"')

    class Meta:
        model = PeriodDeadlines
        fields = ["id", "period", "submit_by", "respond_by", "sign_off_by", "publish_by", "updated_at", "updated_by"]
        read_only_fields = fields


class PeriodDeadlinesInputSerializer(StrictInputSerializer):
    output = PeriodDeadlinesSerializer

    period = serializers.CharField(validators=[validate_period], help_text="Financial year, e.g. `2026/27`")
    submit_by = serializers.DateField(help_text="Submitted to the chief constable by (YYYY-MM-DD)")
    respond_by = serializers.DateField(help_text="The chief constable's response by")
    sign_off_by = serializers.DateField(help_text="Signed off by the PCC by")
    publish_by = serializers.DateField(help_text="Published to HMIC by")


class PeriodDeadlinesUpdateSerializer(PeriodDeadlinesInputSerializer):
    """A change of an existing period's dates: its period is fixed."""

    period = None
