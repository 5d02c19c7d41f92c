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
from collaboration.models import Agreement
from forces.models import Force

# Output ---------------------------------------------------------------------------------------------


class EvidenceSerializer(serializers.ModelSerializer):
    force = code_field("The force's code")
    past_review = serializers.BooleanField(source="is_past_review", read_only=True)
    download = serializers.SerializerMethodField()
    shared_with = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the forces the item is shared with (read-only to them)",
    )
    agreement = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The collaboration agreement it is shared under, if any"
    )
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
            "shared_with",
            "agreement",
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


def shared_with_field(**kwargs):
    """Force codes; any force may be named (force facts are public reference data)."""
    kwargs.setdefault("help_text", "Codes of forces to share the item with, read-only")
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), many=True, required=False, **kwargs
    )


@extend_schema_field({"type": "integer", "nullable": True})
class AgreementRefField(serializers.Field):
    """An agreement's id. The service refuses one the force is not party to; an id that does not
    exist gets the same words, so the answer never tells whether another force's agreement exists."""

    default_error_messages = {"invalid": "Choose an agreement your force is party to"}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).isdigit() or len(str(data)) > 18:
            self.fail("invalid")
        agreement = Agreement.objects.filter(pk=int(data)).first()
        if agreement is None:
            self.fail("invalid")
        return agreement

    def to_representation(self, value):
        return value.pk


def agreement_field(**kwargs):
    kwargs.setdefault("help_text", "The id of an agreement your force is party to: shares with all its parties")
    return AgreementRefField(required=False, allow_null=True, **kwargs)


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
    shared_with = shared_with_field()
    agreement = agreement_field()


class EvidenceUpdateSerializer(StrictInputSerializer):
    """An item's description; its file, hash, kind and force never change."""

    output = EvidenceSerializer

    title = StrictCharField(required=False)
    description = text_field(required=False, allow_blank=True)
    owner = StrictCharField(required=False)
    evidence_date = serializers.DateField(required=False)
    review_by = serializers.DateField(required=False, allow_null=True)
    protective_marking = serializers.ChoiceField(choices=ProtectiveMarking.choices, required=False)
    shared_with = shared_with_field(help_text="Codes of the forces to share with; `[]` withdraws sharing")
    agreement = agreement_field(help_text="An agreement your force is party to (shares with all parties); null: none")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError("Send at least one field to change")
        return attrs
