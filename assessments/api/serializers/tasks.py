"""What the API shows of "My tasks" (`selectors.MyTask`): one row per thing assigned to the person."""

from __future__ import annotations

from rest_framework import serializers

from assessments.selectors import TaskKind


class MyTaskSerializer(serializers.Serializer):
    """One thing assigned to the signed-in person, and where it is done."""

    # Text rather than an enum: the schema's enum names would collide with evidence's `kind`.
    kind = serializers.CharField(
        help_text=(
            f"`{TaskKind.RESPONSE}` (a requirement you own), `{TaskKind.ACTION}`, `{TaskKind.EVIDENCE}` (a review) "
            f"or `{TaskKind.CHALLENGE}`"
        )
    )
    kind_label = serializers.CharField(help_text="The kind as a person reads it")
    title = serializers.CharField()
    url = serializers.CharField(help_text="The page where it is done (a path on this service)")
    force = serializers.CharField(help_text="The force's name")
    assessment = serializers.IntegerField(
        source="assessment_id", allow_null=True, help_text="The assessment's id (null for evidence)"
    )
    state = serializers.CharField(help_text="Where it stands: the assessment's state, the action's status...")
    due_date = serializers.DateField(source="due", allow_null=True, help_text="When it is due (null: undated)")
    overdue = serializers.BooleanField()
