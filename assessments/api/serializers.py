"""What the assessment API shows (output serializers) and what it accepts (input serializers).

Output serializers are read-only views of the models. Input serializers only check shapes and types
and turn codes into objects; every rule about what may change lives in `assessments.services`, which
the views call with the validated data. An input naming a field it may not write (read-only, like
`version`, or unknown) is refused with a 400 naming the field, and nothing is applied.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from assessments.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    DepartingParty,
    Departure,
    DepartureStatus,
    Evidence,
    EvidenceKind,
    ProtectiveMarking,
    Response,
    ResponseStatus,
    Snapshot,
    validate_period,
)
from assessments.permissions import can_transition
from assessments.workflow import TRANSITIONS
from core.models import AuditEntry
from forces.models import Force
from threats.models import Edition

READ_ONLY_MESSAGE = "This field cannot be changed"
UNKNOWN_MESSAGE = "This field is not recognised"
#: Keys a browser form may add that are not data (Django's CSRF token).
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


def _code(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=help_text)


def _username() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)


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

    force = _code("The force's code")
    edition = _code("The edition's code")
    progress = ProgressSerializer(source="*", read_only=True)
    chief_statement_by = _username()
    signed_off_by = _username()
    published_by = _username()
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


class ResponseSerializer(serializers.ModelSerializer):
    """One response. Its `version` is also its ETag, `"<version>"`, which a PATCH must send in If-Match."""

    requirement = serializers.SlugRelatedField(
        slug_field="ref", read_only=True, help_text="The requirement's reference, e.g. `3.2(a)(ii)`"
    )
    paragraph = serializers.CharField(source="requirement.paragraph", read_only=True)
    judgement = _code("The judgement level's code, e.g. `partially_assured`")
    evidence = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the evidence items linked"
    )
    status = serializers.ChoiceField(choices=ResponseStatus.choices, read_only=True)
    updated_by = _username()

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


class EvidenceSerializer(serializers.ModelSerializer):
    force = _code("The force's code")
    past_review = serializers.BooleanField(source="is_past_review", read_only=True)
    download = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = [
            "id",
            "force",
            "kind",
            "title",
            "description",
            "owner",
            "evidence_date",
            "review_by",
            "past_review",
            "protective_marking",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "url",
            "reference",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download(self, evidence) -> str | None:
        """The absolute URL of the file, for files only."""
        if evidence.kind != EvidenceKind.FILE:
            return None
        return reverse("api-evidence-download", kwargs={"pk": evidence.pk}, request=self.context.get("request"))


class DepartureSerializer(serializers.ModelSerializer):
    requirement = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    review_overdue = serializers.BooleanField(source="is_review_overdue", read_only=True)
    created_by = _username()

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
    created_by = _username()

    class Meta:
        model = Action
        fields = [
            "id",
            "assessment",
            "requirement",
            "gap",
            "description",
            "owner",
            "due_date",
            "status",
            "overdue",
            "created_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ChallengeReplySerializer(serializers.ModelSerializer):
    author = _username()

    class Meta:
        model = ChallengeReply
        fields = ["id", "author", "text", "created_at"]
        read_only_fields = fields


class ChallengeSerializer(serializers.ModelSerializer):
    """The PCC's challenge on one response (`response`, `requirement`) or on the whole assessment (both
    null), with its thread of replies, oldest first."""

    requirement = serializers.CharField(
        source="response.requirement.ref", read_only=True, allow_null=True, help_text="The challenged requirement"
    )
    raised_by = _username()
    closed_by = _username()
    replies = ChallengeReplySerializer(many=True, read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "id",
            "assessment",
            "response",
            "requirement",
            "text",
            "status",
            "raised_by",
            "created_at",
            "closed_by",
            "closed_at",
            "closing_note",
            "replies",
        ]
        read_only_fields = fields


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
            "by": serializers.CharField(source="actor.username", read_only=True),
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


# Input ----------------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """Text, and only text: DRF's CharField would quietly turn 42 into "42"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def _text(**kwargs) -> StrictCharField:
    """Text kept exactly as sent (narratives keep their line breaks and indentation)."""
    kwargs.setdefault("trim_whitespace", False)
    return StrictCharField(**kwargs)


class StrictInputSerializer(serializers.Serializer):
    """An input whose every key must be one of its fields.

    `output` names the resource's output serializer, so that a key it shows but this input does not
    take (such as `version` or `sha256`) is refused as read-only rather than as unknown.
    """

    output: type[serializers.Serializer] | None = None

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            refused = sorted(set(data) - set(self.fields) - IGNORED_KEYS)
            # Only then: building the output serializer's fields costs a few ms.
            shown = set(self.output().fields) if refused and self.output else set()
            for name in refused:
                errors[name] = [READ_ONLY_MESSAGE if name in shown else UNKNOWN_MESSAGE]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not errors or not isinstance(exc.detail, Mapping):
                raise
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return value


def _force_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Force.objects.all(),
        required=False,
        help_text="The force's code; may be left out by a user who acts for one force only",
    )


class AssessmentCreateSerializer(StrictInputSerializer):
    output = AssessmentSerializer

    force = _force_field()
    edition = serializers.SlugRelatedField(
        slug_field="code", queryset=Edition.objects.all(), help_text="The edition's code, e.g. `spr-2012`"
    )
    period = StrictCharField(validators=[validate_period], help_text="The financial year, e.g. `2025/26`")
    start_from_previous = serializers.BooleanField(
        default=False, help_text="Copy narratives, evidence, open actions and live departures from the year before"
    )
    keep_judgements = serializers.BooleanField(
        default=False, help_text="With start_from_previous, copy the judgements too"
    )


class ResponseUpdateSerializer(StrictInputSerializer):
    """The three things a response records. A field left out is unchanged."""

    output = ResponseSerializer

    judgement = StrictCharField(required=False, help_text="A judgement level code of the assessment's edition")
    narrative = _text(required=False, allow_blank=True)
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


class EvidenceCreateSerializer(StrictInputSerializer):
    """A file (multipart, `upload`), a web link (`url`) or a reference (`reference`)."""

    output = EvidenceSerializer

    force = _force_field()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = StrictCharField()
    description = _text(required=False, allow_blank=True, default="")
    owner = StrictCharField(help_text="Who holds the evidence, e.g. 'Head of Special Branch'")
    evidence_date = serializers.DateField()
    review_by = serializers.DateField(required=False, allow_null=True, default=None)
    protective_marking = serializers.ChoiceField(choices=ProtectiveMarking.choices, required=False)
    # The service checks the file (type from content, size, name); DRF's own checks would word
    # the same refusals differently from the pages.
    upload = serializers.FileField(required=False, allow_empty_file=True, use_url=False)
    url = StrictCharField(required=False, allow_blank=True, default="", help_text="For a link: http(s) address")
    reference = StrictCharField(required=False, allow_blank=True, default="", help_text="For a reference")


class EvidenceUpdateSerializer(StrictInputSerializer):
    """An item's description; its file, hash, kind and force never change."""

    output = EvidenceSerializer

    title = StrictCharField(required=False)
    description = _text(required=False, allow_blank=True)
    owner = StrictCharField(required=False)
    evidence_date = serializers.DateField(required=False)
    review_by = serializers.DateField(required=False, allow_null=True)
    protective_marking = serializers.ChoiceField(choices=ProtectiveMarking.choices, required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change")
        return attrs


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
    circumstances = _text()
    reasons = _text()
    alternative_arrangements = _text()
    residual_risk = _text()
    review_date = serializers.DateField()
    status = serializers.ChoiceField(choices=DepartureStatus.choices, required=False)
    evidence = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=True)


class ActionInputSerializer(_AssessmentRecordInput):
    output = ActionSerializer

    gap = _text()
    description = _text()
    owner = StrictCharField()
    due_date = serializers.DateField()
    status = serializers.ChoiceField(choices=ActionStatus.choices, required=False)


# Workflow input ---------------------------------------------------------------------------------------
# Text is optional here so that a missing or blank statement is refused by the service, in the words
# the pages use ("Enter the chief constable's statement").


def _note(help_text: str = "Why, for the record (shown in the history and the e-mail)") -> StrictCharField:
    return _text(required=False, allow_blank=True, default="", help_text=help_text)


class TransitionInputSerializer(StrictInputSerializer):
    """Publish and revise: an optional note."""

    note = _note()


class SubmitInputSerializer(TransitionInputSerializer):
    share_with_hmic = serializers.BooleanField(
        required=False, help_text="Let HMIC read it before publication; left out, the setting is unchanged"
    )


class ReturnInputSerializer(StrictInputSerializer):
    note = _note("The reason for returning it (required)")


class StatementInputSerializer(TransitionInputSerializer):
    """Respond (the chief constable's statement) and sign off (the PCC's annual assurance statement)."""

    statement = _text(required=False, allow_blank=True, default="", help_text="The statement (required)")


class ChallengeCreateSerializer(StrictInputSerializer):
    output = ChallengeSerializer

    assessment = serializers.PrimaryKeyRelatedField(queryset=Assessment.objects.none(), help_text="The assessment's id")
    response = serializers.PrimaryKeyRelatedField(
        queryset=Response.objects.none(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The challenged response's id; left out for a challenge on the whole assessment",
    )
    text = _text(required=False, allow_blank=True, default="", help_text="The challenge (required)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Another force's assessment or response is "does not exist", as for a made-up id.
            self.fields["assessment"].queryset = Assessment.objects.visible_to(request.user)
            self.fields["response"].queryset = Response.objects.visible_to(request.user)


class ChallengeReplyInputSerializer(StrictInputSerializer):
    text = _text(required=False, allow_blank=True, default="", help_text="The reply (required)")


class ChallengeCloseSerializer(StrictInputSerializer):
    note = _note("Why the challenge is closed, for the record")
