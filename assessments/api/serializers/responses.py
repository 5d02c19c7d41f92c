"""What the API shows of a response (its judgement, narrative, evidence and the version that is also
its ETag, built directly rather than field by field, from objects or from the list's rows), the
answer to a PATCH whose If-Match names an older version, and what a PATCH accepts: the judgement,
the narrative and the evidence linked."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from assessments.api.serializers.common import (
    StrictCharField,
    StrictInputSerializer,
    code_field,
    text_field,
    username_field,
)
from assessments.models import Response, ResponseStatus

# Output ---------------------------------------------------------------------------------------------


class ResponseSerializer(serializers.ModelSerializer):
    """One response. Its `version` is also its ETag, `"<version>"`, which a PATCH must send in If-Match."""

    requirement = serializers.SlugRelatedField(
        slug_field="ref", read_only=True, help_text="The requirement's reference, e.g. `3.2(a)(ii)`"
    )
    paragraph = serializers.CharField(source="requirement.paragraph", read_only=True)
    judgement = code_field("The judgement level's code, e.g. `partially_assured`")
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the evidence items linked"
    )
    status = serializers.ChoiceField(choices=ResponseStatus.choices, read_only=True)
    updated_by = username_field()

    class Meta:
        model = Response
        fields = [
            "id",
            "assessment",
            "requirement",
            "paragraph",
            "judgement",
            "narrative",
            "evidence",
            "version",
            "status",
            "updated_at",
            "updated_by",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        """The same output as the declared fields, built directly: an assessment's responses are read
        whole (1,209 in the largest edition benchmarked), and DRF's field-by-field walk cost most of
        that request. tests/api/test_assessments_api.py holds the two to the same result."""
        return {
            "id": instance.id,
            "assessment": instance.assessment_id,
            "requirement": instance.requirement.ref,
            "paragraph": instance.requirement.paragraph,
            "judgement": instance.judgement.code,
            "narrative": instance.narrative,
            "evidence": [item.pk for item in instance.evidence.all()],
            "version": instance.version,
            "status": instance.status.value,
            # A field of its own: self.fields would build every declared field (ModelSerializer's
            # model introspection, a few ms a request) for this one.
            "updated_at": serializers.DateTimeField().to_representation(instance.updated_at),
            "updated_by": instance.updated_by.username if instance.updated_by_id else None,
        }

    def rows_to_representation(self, rows: list[dict], evidence: dict[int, list[int]]) -> list[dict]:
        """The same output for rows of `selectors.response_list_rows` and their evidence ids (from
        `selectors.response_evidence_ids`): the list reads values, not objects. The tests hold it
        to DRF's field-by-field output too."""
        # The current time zone, looked up once rather than once a row.
        updated_at = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
        status_of = Response.status_of
        return [
            {
                "id": row["id"],
                "assessment": row["assessment_id"],
                "requirement": row["requirement__ref"],
                "paragraph": row["requirement__paragraph"],
                "judgement": row["judgement__code"],
                "narrative": row["narrative"],
                "evidence": evidence[row["id"]],
                "version": row["version"],
                "status": status_of(row["judgement__score"], row["narrative"], row["version"]).value,
                "updated_at": updated_at.to_representation(row["updated_at"]),
                "updated_by": row["updated_by__username"],
            }
            for row in rows
        ]


class PreconditionFailedSerializer(serializers.Serializer):
    """The answer to a PATCH whose If-Match names an older version."""

    detail = serializers.CharField()
    current = ResponseSerializer()


# Input ----------------------------------------------------------------------------------------------


class ResponseUpdateSerializer(StrictInputSerializer):
    """The three things a response records. A field left out is unchanged."""

    output = ResponseSerializer

    judgement = StrictCharField(required=False, help_text="A judgement level code of the assessment's edition")
    narrative = text_field(required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=True,
        help_text="Ids of the force's evidence items; replaces the list linked",
    )

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one of judgement, narrative or evidence")
        return attrs
