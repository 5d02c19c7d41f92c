from rest_framework import serializers

from forces.models import BodyType, Force, PolicingBody, Region


class PolicingBodySerializer(serializers.ModelSerializer):
    type = serializers.ChoiceField(source="body_type", choices=BodyType.choices, read_only=True)

    class Meta:
        model = PolicingBody
        fields = ["name", "type", "effective_from"]


class ForceSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.name", read_only=True, help_text="The NPCC region's name")
    region_code = serializers.CharField(source="region.code", read_only=True)
    policing_body = PolicingBodySerializer(
        source="current_policing_body",
        read_only=True,
        allow_null=True,
        help_text="The policing body in office today; null where none is recorded",
    )

    class Meta:
        model = Force
        fields = ["code", "name", "region", "region_code", "home_office", "rocu", "policing_body"]


class RegionSerializer(serializers.ModelSerializer):
    force_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "force_count"]
