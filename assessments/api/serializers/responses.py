"""What the API shows of a response (its record, `assessments.records.ResponseRecord`: judgement,
narrative, evidence and the version that is also its ETag, rendered directly rather than field by
field, from objects or from the list's rows), the answer to a PATCH whose If-Match names an older
version, and what a PATCH accepts: the answer (`records.ResponseAnswer`: the judgement, the narrative
and the evidence linked)."""

from __future__ import annotations

from rest_framework import serializers

from assessments import records
from assessments.api.serializers.common import (
    RecordRendering,
    StrictCharField,
    StrictInputSerializer,
    code_field,
    person_field,
    row_rendering,
    text_field,
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
    updated_by = person_field()
    owner = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the person of the force who owns the requirement"
    )
    owner_name = person_field(source="owner", help_text='The owner as "Name, job title"')

    class Meta:
        model = Response
        # The fields (and their order) are ResponseRecord's: a field added there is shown here, and
        # a plain one is described from the model like any ModelSerializer field.
        fields = records.api_fields(records.ResponseRecord)
        read_only_fields = fields

    def to_representation(self, instance):
        """The declared fields' output, as a rendering of the response's record: an assessment's
        responses are read whole (1,209 in the largest edition benchmarked), and DRF's field-by-field
        walk cost most of that request. tests/api/test_assessments_api.py holds the two to the same
        result."""
        return RecordRendering(records.ResponseRecord)(records.response_record(instance))

    def rows_to_representation(self, rows: list[dict], evidence: dict[int, list[int]]) -> list[dict]:
        """The same output for rows of `selectors.response_list_rows` (records.RESPONSE_ROW_FIELDS)
        and their evidence ids (from `selectors.response_evidence_ids`), rendered from the rows as
        the record would be: the list reads values, not objects. The tests hold it to DRF's
        field-by-field output too."""
        render = row_rendering(
            records.ResponseRecord,
            columns=records.RESPONSE_COLUMNS,
            worked_out=records.response_row_readers(evidence),
        )
        return [render(row) for row in rows]


class PreconditionFailedSerializer(serializers.Serializer):
    """The answer to a PATCH whose If-Match names an older version."""

    detail = serializers.CharField()
    current = ResponseSerializer()


# Input ----------------------------------------------------------------------------------------------


class ResponseUpdateSerializer(StrictInputSerializer):
    """The three things a response records, and who owns it. A field left out is unchanged."""

    # The fields of records.ResponseAnswer, which the view builds from the validated data
    # (`ResponseAnswer.from_data`). The docstring above is the schema's description.

    output = ResponseSerializer

    judgement = StrictCharField(required=False, help_text="A judgement level code of the assessment's edition")
    narrative = text_field(required=False, allow_blank=True)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=True,
        help_text="Ids of the force's evidence items; replaces the list linked",
    )

    owner = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=(
            "The id of the person of the assessment's force who owns the requirement, or null for nobody. "
            "Not part of the answer: sent alone, it leaves the version as it is."
        ),
    )

    def get_fields(self):
        fields = super().get_fields()
        # Any other field of the answer is a column written as it is: taken as text.
        for key in records.ResponseAnswer.names():
            fields.setdefault(key, text_field(required=False, allow_blank=True))
        return fields

    def validate(self, attrs):
        if not attrs:
            *others, last = [*records.ResponseAnswer.names(), "owner"]
            raise serializers.ValidationError(f"Send at least one of {', '.join(others)} or {last}")
        return attrs
