"""What the API shows of a force's capacity figures and what it accepts to record or change them."""

from rest_framework import serializers

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from core.periods import validate_period
from forces.models import Force


class CapacityCommitmentSerializer(serializers.ModelSerializer):
    """A force's figures for one capability and period."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The force's code")
    capability = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The capability's code")

    class Meta:
        model = CapacityCommitment
        fields = [
            "id",
            "force",
            "capability",
            "period",
            "committed",
            "available",
            "notice_period_hours",
            "as_of",
            "updated_at",
        ]
        read_only_fields = fields


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not declare (400 naming them) instead of ignoring them."""

    def to_internal_value(self, data):
        unknown = set(data) - set(self.fields) - {"csrfmiddlewaretoken"} if hasattr(data, "keys") else set()
        if unknown:
            raise serializers.ValidationError(dict.fromkeys(sorted(unknown), ["This field cannot be set here"]))
        return super().to_internal_value(data)


class CapacityCommitmentCreateSerializer(StrictInputSerializer):
    force = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Force.objects.all(),
        required=False,
        help_text="The force's code; may be left out by a user who acts for one force",
    )
    capability = serializers.SlugRelatedField(slug_field="code", queryset=CapacityCapability.objects.all())
    period = serializers.CharField(validators=[validate_period], help_text="Financial year, e.g. `2025/26`")
    committed = serializers.IntegerField(min_value=0)
    available = serializers.IntegerField(min_value=0)
    notice_period_hours = serializers.IntegerField(min_value=0)
    as_of = serializers.DateField()


class CapacityCommitmentUpdateSerializer(StrictInputSerializer):
    committed = serializers.IntegerField(min_value=0, required=False)
    available = serializers.IntegerField(min_value=0, required=False)
    notice_period_hours = serializers.IntegerField(min_value=0, required=False)
    as_of = serializers.DateField(required=False)


class ExpectedContributionSerializer(serializers.ModelSerializer):
    """What a force is expected to contribute for one capability and period. `official` false means
    the figure is illustrative."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The force's code")
    capability = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The capability's code")

    class Meta:
        model = ExpectedContribution
        fields = ["id", "force", "capability", "period", "expected", "official", "updated_at"]
        read_only_fields = fields


class ExpectedContributionInputSerializer(StrictInputSerializer):
    force = serializers.SlugRelatedField(slug_field="code", queryset=Force.objects.all())
    capability = serializers.SlugRelatedField(slug_field="code", queryset=CapacityCapability.objects.all())
    period = serializers.CharField(validators=[validate_period], help_text="Financial year, e.g. `2025/26`")
    expected = serializers.IntegerField(min_value=0, help_text="In the capability's unit")
    official = serializers.BooleanField(default=False, help_text="False (the default): an illustrative figure")


class ExpectedUploadSerializer(StrictInputSerializer):
    file = serializers.FileField(help_text="CSV: force_code, capability_code, period, expected, official")
