"""What the API shows of evidence requests and findings, and what it accepts. A force is named by
its code, a requirement by its paragraph reference (e.g. `4.1(c)`) in the edition in force unless
`edition` names another, a threat or area by its code."""

from __future__ import annotations

from rest_framework import serializers

from assessments.api.serializers.common import StrictCharField, StrictInputSerializer, person_field, text_field
from capabilities.models import Area, Requirement
from forces.models import Force
from inspection import selectors
from inspection.models import REQUEST_SHOWN_STATUSES, EvidenceRequest, Finding, FindingKind
from threats.models import Threat

# Output ---------------------------------------------------------------------------------------------


class EvidenceRequestSerializer(serializers.ModelSerializer):
    """An inspector's request for evidence, and the force's answer. `status` is `overdue` for an open
    request past its due date."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The force's code")
    requirements = serializers.SlugRelatedField(slug_field="ref", many=True, read_only=True)
    status = serializers.ChoiceField(
        choices=REQUEST_SHOWN_STATUSES,
        source="shown_status",
        read_only=True,
        help_text="`overdue`: open past its due date",
    )
    answer_evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of evidence items")
    raised_by = person_field()
    answered_by = person_field()
    accepted_by = person_field()

    class Meta:
        model = EvidenceRequest
        fields = [
            "id",
            "force",
            "requirements",
            "text",
            "due_date",
            "status",
            "raised_by",
            "answer_note",
            "answer_evidence",
            "answered_by",
            "answered_at",
            "accepted_by",
            "accepted_at",
            "created_at",
        ]
        read_only_fields = fields


class FindingSerializer(serializers.ModelSerializer):
    """An inspector's finding about a force, and the force's response."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The force's code")
    requirement = serializers.SlugRelatedField(slug_field="ref", read_only=True, allow_null=True)
    threat = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    area = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    actions = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="Ids of the force's actions")
    recorded_by = person_field()
    responded_by = person_field()

    class Meta:
        model = Finding
        fields = [
            "id",
            "force",
            "requirement",
            "threat",
            "area",
            "kind",
            "text",
            "period",
            "found_on",
            "status",
            "recorded_by",
            "response",
            "actions",
            "responded_by",
            "responded_at",
            "created_at",
        ]
        read_only_fields = fields


# Input ----------------------------------------------------------------------------------------------


def _force_field():
    return serializers.SlugRelatedField(slug_field="code", queryset=Force.objects.all(), help_text="The force's code")


def _edition_field():
    return StrictCharField(required=False, help_text="The edition's code; the edition in force if left out")


def _edition(attrs):
    edition = selectors.requirement_edition(attrs.pop("edition", ""))
    if edition is None:
        raise serializers.ValidationError({"edition": ["No edition has this code"]})
    return edition


class EvidenceRequestInputSerializer(StrictInputSerializer):
    output = EvidenceRequestSerializer

    force = _force_field()
    requirements = serializers.ListField(
        child=StrictCharField(), allow_empty=False, help_text='Requirement references, e.g. `["4.1(c)"]`'
    )
    edition = _edition_field()
    text = text_field(help_text="What evidence is asked for")
    due_date = serializers.DateField()

    def validate(self, attrs):
        edition = _edition(attrs)
        refs = list(dict.fromkeys(attrs["requirements"]))
        found = {r.ref: r for r in Requirement.objects.filter(edition=edition, ref__in=refs)}
        missing = [ref for ref in refs if ref not in found]
        if missing:
            raise serializers.ValidationError(
                {"requirements": [f"{edition.title} has no requirement {ref}" for ref in missing]}
            )
        attrs["requirements"] = [found[ref] for ref in refs]
        return attrs


class EvidenceAnswerSerializer(StrictInputSerializer):
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, help_text="Ids of your evidence"
    )
    note = text_field(required=False, allow_blank=True, default="")


class FindingInputSerializer(StrictInputSerializer):
    output = FindingSerializer

    force = _force_field()
    requirement = StrictCharField(
        required=False, allow_null=True, allow_blank=True, help_text="The requirement's reference, e.g. `4.1(c)`"
    )
    threat = StrictCharField(required=False, allow_null=True, allow_blank=True, help_text="The threat's code")
    area = StrictCharField(required=False, allow_null=True, allow_blank=True, help_text="The area's code")
    edition = _edition_field()
    kind = serializers.ChoiceField(choices=FindingKind.choices)
    text = text_field()
    period = StrictCharField(help_text="Financial year, e.g. `2025/26`")
    found_on = serializers.DateField(required=False, help_text="Today if left out")

    def validate(self, attrs):
        edition = _edition(attrs)
        errors = {}
        for name, model, key in (
            ("requirement", Requirement, "ref"),
            ("threat", Threat, "code"),
            ("area", Area, "code"),
        ):
            value = attrs.get(name)
            if not value:
                attrs[name] = None
                continue
            attrs[name] = model.objects.filter(edition=edition, **{key: value}).first()
            if attrs[name] is None:
                errors[name] = [f"{edition.title} has no {name} {value}"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class FindingResponseSerializer(StrictInputSerializer):
    response = text_field()
    actions = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, help_text="Ids of your actions"
    )
