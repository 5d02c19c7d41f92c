"""What the API shows of departures and actions, an assessment's records, and what it accepts to
record or change one. Both inputs share a base that takes the assessment on create only (from those
the user may see) and the requirement's reference."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from assessments.api.serializers.common import (
    StrictCharField,
    StrictInputSerializer,
    person_field,
    text_field,
)
from assessments.models import (
    Action,
    ActionStatus,
    Assessment,
    DepartingParty,
    Departure,
    DepartureStatus,
)
from core.forms.govuk import validate_not_past

# Output ---------------------------------------------------------------------------------------------


class DepartureSerializer(serializers.ModelSerializer):
    requirement = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    review_overdue = serializers.BooleanField(source="is_review_overdue", read_only=True)
    created_by = person_field()

    class Meta:
        model = Departure
        fields = [
            "id",
            "assessment",
            "requirement",
            "departing_party",
            "circumstances",
            "reasons",
            "alternative_arrangements",
            "residual_risk",
            "review_date",
            "status",
            "review_overdue",
            "evidence",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    requirement = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    owner = serializers.CharField(
        read_only=True, help_text="Who owns it: the owner's name and job title, or a name outside the service"
    )
    owner_user = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the owner when they are a person of the force"
    )
    owner_user_name = person_field(source="owner_user")
    created_by = person_field()

    class Meta:
        model = Action
        fields = [
            "id",
            "assessment",
            "requirement",
            "gap",
            "description",
            "owner",
            "owner_user",
            "owner_user_name",
            "due_date",
            "status",
            "overdue",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


# Input ----------------------------------------------------------------------------------------------


class _AssessmentRecordInput(StrictInputSerializer):
    """Shared by departures and actions: the assessment (on create only) and the requirement's ref."""

    assessment = serializers.PrimaryKeyRelatedField(
        queryset=Assessment.objects.none(), help_text="The assessment's id (on create only)"
    )
    requirement = StrictCharField(help_text="The requirement's reference, e.g. `4.1(c)`")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if self.partial:
            # A record stays with its assessment.
            del self.fields["assessment"]
        elif request is not None:
            # Another force's assessment is "does not exist", as for a made-up id.
            self.fields["assessment"].queryset = Assessment.objects.visible_to(request.user)

    def validate(self, attrs):
        if self.partial and not attrs:
            raise serializers.ValidationError("Send at least one field to change")
        return attrs


class DepartureInputSerializer(_AssessmentRecordInput):
    output = DepartureSerializer

    departing_party = serializers.ChoiceField(choices=DepartingParty.choices)
    circumstances = text_field()
    reasons = text_field()
    alternative_arrangements = text_field()
    residual_risk = text_field()
    review_date = serializers.DateField()
    status = serializers.ChoiceField(choices=DepartureStatus.choices, required=False)
    evidence = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=True)


class ActionInputSerializer(_AssessmentRecordInput):
    output = ActionSerializer

    gap = text_field()
    description = text_field()
    owner = StrictCharField(
        required=False,
        allow_blank=True,
        help_text="The name of an owner outside the service (with `owner_user`, their name is used instead)",
    )
    owner_user = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The id of a person of the assessment's force who owns the action, or null",
    )
    due_date = serializers.DateField(help_text="Today or later (an action's recorded due date may stay as it is)")
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)

    def validate_due_date(self, value):
        """A new or moved due date in the past is refused, as on the page."""
        try:
            validate_not_past(value, label="Due date", unchanged_from=getattr(self.instance, "due_date", None))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None
        return value
