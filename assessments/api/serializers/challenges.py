"""What the API shows of the PCC's challenges, each with its thread of replies, and what it accepts
to raise a challenge (on a response or the whole assessment, from those the user may see), to reply
to one and to close one."""

from __future__ import annotations

from rest_framework import serializers

from assessments.api.serializers.common import StrictInputSerializer, note_field, person_field, text_field
from assessments.models import Assessment, Challenge, ChallengeReply, Response

# Output ---------------------------------------------------------------------------------------------


class ChallengeReplySerializer(serializers.ModelSerializer):
    author = person_field()

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
    raised_by = person_field()
    closed_by = person_field()
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


# Input ----------------------------------------------------------------------------------------------


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
    text = text_field(required=False, allow_blank=True, default="", help_text="The challenge (required)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Another force's assessment or response is "does not exist", as for a made-up id.
            self.fields["assessment"].queryset = Assessment.objects.visible_to(request.user)
            self.fields["response"].queryset = Response.objects.visible_to(request.user)


class ChallengeReplyInputSerializer(StrictInputSerializer):
    text = text_field(required=False, allow_blank=True, default="", help_text="The reply (required)")


class ChallengeCloseSerializer(StrictInputSerializer):
    note = note_field("Why the challenge is closed, for the record")
