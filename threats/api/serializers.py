from rest_framework import serializers

from threats.models import Edition, JudgementLevel, Threat


class JudgementLevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = JudgementLevel
        fields = ["code", "label", "score", "colour"]


class EditionSerializer(serializers.ModelSerializer):
    """An edition with its judgement scale and how much it contains (counts are annotated)."""

    judgement_scale = JudgementLevelSerializer(source="judgement_levels", many=True, read_only=True)
    threat_count = serializers.IntegerField(read_only=True)
    area_count = serializers.IntegerField(read_only=True)
    requirement_count = serializers.IntegerField(read_only=True)
    follows = serializers.SlugRelatedField(
        slug_field="code",
        read_only=True,
        allow_null=True,
        help_text="The code of the edition this one replaces (null for the first edition)",
    )

    class Meta:
        model = Edition
        fields = [
            "code",
            "title",
            "publisher",
            "published_on",
            "effective_from",
            "status",
            "follows",
            "isbn",
            "judgement_scale",
            "threat_count",
            "area_count",
            "requirement_count",
        ]


class ThreatSerializer(serializers.ModelSerializer):
    edition = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The edition's code")

    class Meta:
        model = Threat
        fields = ["id", "code", "name", "description", "nsra_tier", "paragraph", "edition"]
