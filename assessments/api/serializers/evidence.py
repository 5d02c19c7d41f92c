"""What the API shows of an evidence item (with the download address of a file) and what it accepts
to add one (a file, a web link or a reference) or to change an item's description, never its file,
hash, kind or force."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from assessments.api.serializers.common import (
    StrictCharField,
    StrictInputSerializer,
    code_field,
    force_field,
    text_field,
)
from assessments.models import Evidence, EvidenceKind, ProtectiveMarking, ScanStatus

# Output ---------------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    force = code_field("The force's code")
    past_review = serializers.BooleanField(source="is_past_review", read_only=True)
    download = serializers.SerializerMethodField()
    scan_status = serializers.ChoiceField(
        choices=ScanStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="A file's virus scan: it downloads only when `clean` or `not_scanned`; empty for a link or reference",
    )

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
            "scan_status",
            "url",
            "reference",
            "download",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download(self, evidence) -> str | None:
        """The absolute URL of the file, for files only (it answers 409 while the file is quarantined)."""
        if evidence.kind != EvidenceKind.FILE:
            return None
        return reverse("api-evidence-download", kwargs={"pk": evidence.pk}, request=self.context.get("request"))


# Input ----------------------------------------------------------------------------------------------


class EvidenceCreateSerializer(StrictInputSerializer):
    """A file (multipart, `upload`), a web link (`url`) or a reference (`reference`)."""

    output = EvidenceSerializer

    force = force_field()
    kind = serializers.ChoiceField(choices=EvidenceKind.choices)
    title = StrictCharField()
    description = text_field(required=False, allow_blank=True, default="")
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
    description = text_field(required=False, allow_blank=True)
    owner = StrictCharField(required=False)
    evidence_date = serializers.DateField(required=False)
    review_by = serializers.DateField(required=False, allow_null=True)
    protective_marking = serializers.ChoiceField(choices=ProtectiveMarking.choices, required=False)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change")
        return attrs
