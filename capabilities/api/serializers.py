from rest_framework import serializers

from assessments.models import validate_period
from capabilities.models import Area, CapacityCapability, CapacityCommitment, Requirement
from forces.models import Force


class AreaSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The edition's code")

    class Meta:
        model = Area
        fields = ["id", "code", "name", "section", "edition"]


class RequirementSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The edition's code")
    areas = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the areas it falls under"
    )
    threats = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True, help_text="Codes of the threats it addresses"
    )

    class Meta:
        model = Requirement
        fields = [
            "id",
            "ref",
            "paragraph",
            "section",
            "lead_in",
            "group_heading",
            "text",
            "areas",
            "threats",
            "edition",
        ]


# --- Capacity planning -------------------------------------------------------------------------------


class CapacityCapabilitySerializer(serializers.ModelSerializer):
    class Meta:
        model = CapacityCapability
        fields = ["id", "code", "name", "unit", "national_planning_assumption", "paragraphs", "description", "position"]
        read_only_fields = fields


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
