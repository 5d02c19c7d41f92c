from rest_framework import serializers

from capabilities.models import Area, CapacityCapability, Requirement


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
