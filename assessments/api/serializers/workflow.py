"""What the workflow's actions accept (an optional note, the choice to share with HMIC, the reason
for a return, a statement) and what the workflow leaves behind: the transitions, the hash-chained
audit trail that the history answer pages through, and the frozen snapshot of a published
assessment."""

from __future__ import annotations

from rest_framework import serializers

from assessments.api.serializers.common import PersonField, StrictInputSerializer, note_field, text_field
from assessments.models import AssessmentStatus, Snapshot
from assessments.transitions import TRANSITIONS
from core.models import AuditEntry

# Output ---------------------------------------------------------------------------------------------


class TransitionSerializer(serializers.Serializer):
    """One move through the workflow: `action`, `from` and `to` states, `by` whom, `at` when, and the note."""

    def get_fields(self):
        # "from" is a Python keyword, so the fields are named here rather than declared as attributes.
        return {
            "action": serializers.CharField(
                read_only=True, help_text=f"One of {', '.join(f'`{name}`' for name in TRANSITIONS)}"
            ),
            "from": serializers.ChoiceField(source="from_status", choices=AssessmentStatus.choices, read_only=True),
            "to": serializers.ChoiceField(source="to_status", choices=AssessmentStatus.choices, read_only=True),
            "by": PersonField(source="actor"),
            "at": serializers.DateTimeField(read_only=True),
            "note": serializers.CharField(read_only=True),
        }


class AuditEntrySerializer(serializers.ModelSerializer):
    """One change from the hash-chained audit trail: who, when, which record, and each field's
    `[before, after]`."""

    actor = serializers.CharField(source="actor_name", read_only=True, help_text="Username at the time")
    changes = serializers.DictField(
        child=serializers.ListField(), read_only=True, help_text="`{field: [before, after]}`"
    )

    class Meta:
        model = AuditEntry
        fields = ["at", "actor", "action", "model", "object_id", "object_repr", "changes"]
        read_only_fields = fields


class HistoryPageSerializer(serializers.Serializer):
    """The shape of the history answer (documentation only): the transitions in full, and one page of
    audit entries."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    transitions = TransitionSerializer(many=True)
    results = AuditEntrySerializer(many=True)


class SnapshotSerializer(serializers.ModelSerializer):
    """The frozen content of a published assessment. `sha256` is taken over the payload's canonical JSON
    (sorted keys, no whitespace, UTF-8), so anyone holding the payload can check it."""

    payload = serializers.JSONField(read_only=True)

    class Meta:
        model = Snapshot
        fields = ["assessment", "sha256", "created_at", "payload"]
        read_only_fields = fields


# Workflow input ---------------------------------------------------------------------------------------
# Text is optional here so that a missing or blank statement is refused by the service, in the words
# the pages use ("Enter the chief constable's statement").


class TransitionInputSerializer(StrictInputSerializer):
    """Publish and revise: an optional note."""

    note = note_field()


class SubmitInputSerializer(TransitionInputSerializer):
    share_with_hmic = serializers.BooleanField(
        required=False, help_text="Let HMIC read it before publication; left out, the setting is unchanged"
    )


class ReturnInputSerializer(StrictInputSerializer):
    note = note_field("The reason for returning it (required)")


class StatementInputSerializer(TransitionInputSerializer):
    """Respond (the chief constable's statement) and sign off (the PCC's annual assurance statement)."""

    statement = text_field(required=False, allow_blank=True, default="", help_text="The statement (required)")
