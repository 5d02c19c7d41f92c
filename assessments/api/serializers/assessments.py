"""What the API shows of an assessment (its place in the workflow, its progress and the actions the
requesting user may take now) and what it accepts to start a draft: the force, the edition, the
financial year and whether to start from the year before."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assessments.api.serializers.common import (
    StrictCharField,
    StrictInputSerializer,
    code_field,
    force_field,
    person_field,
)
from assessments.models import Assessment
from assessments.permissions import can_transition
from assessments.transitions import TRANSITIONS
from core.periods import validate_period
from threats.models import Edition

# Output ---------------------------------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    """Responses completed (judged and explained) out of all, from counts annotated by the selector."""

    completed = serializers.IntegerField(source="response_completed", read_only=True)
    total = serializers.IntegerField(source="response_total", read_only=True)
    percent = serializers.SerializerMethodField()

    def get_percent(self, assessment) -> int:
        total = assessment.response_total
        return round(100 * assessment.response_completed / total) if total else 0


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment with its place in the workflow. `allowed_actions` are the workflow actions the
    requesting user may take now, from the same predicate the pages use to show their buttons."""

    force = code_field("The force's code")
    edition = code_field("The edition's code")
    progress = ProgressSerializer(source="*", read_only=True)
    chief_statement_by = person_field()
    signed_off_by = person_field()
    published_by = person_field()
    supersedes = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the published version this revision was started from"
    )
    snapshot_sha256 = serializers.CharField(
        read_only=True, allow_null=True, help_text="SHA-256 of the published snapshot; null until published"
    )
    allowed_actions = serializers.SerializerMethodField()
    url = serializers.HyperlinkedIdentityField(view_name="api-assessment-detail")

    class Meta:
        model = Assessment
        fields = [
            "id",
            "force",
            "edition",
            "period",
            "revision",
            "status",
            "progress",
            "share_with_hmic",
            "chief_statement",
            "chief_statement_by",
            "chief_statement_at",
            "assurance_statement",
            "signed_off_by",
            "signed_off_at",
            "published_by",
            "published_at",
            "supersedes",
            "snapshot_sha256",
            "allowed_actions",
            "created_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(TRANSITIONS)}})
    def get_allowed_actions(self, assessment) -> list[str]:
        """Workflow actions (`submit`, `return`, `respond`, `sign_off`, `publish`, `revise`) the user may
        take now; the endpoint of each is its name with `_` written `-`."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return [action for action in TRANSITIONS if can_transition(user, assessment, action)]


# Input ----------------------------------------------------------------------------------------------


class AssessmentCreateSerializer(StrictInputSerializer):
    output = AssessmentSerializer

    force = force_field()
    edition = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Edition.objects.published(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The edition's code, e.g. `spr-2012`; left out, the edition in force on the period's first day",
    )
    period = StrictCharField(validators=[validate_period], help_text="The financial year, e.g. `2025/26`")
    start_from_previous = serializers.BooleanField(
        default=False, help_text="Copy narratives, evidence, open actions and live departures from the year before"
    )
    keep_judgements = serializers.BooleanField(
        default=False, help_text="With start_from_previous, copy the judgements too"
    )
