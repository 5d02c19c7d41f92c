"""What the API shows of a collaboration agreement and what it accepts to record one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capabilities.models import CapacityCapability
from collaboration.models import Agreement, AgreementParty, PartyType, StatutoryBasis
from core.people import display_name
from forces.models import Force
from threats.models import Edition


class PartySerializer(serializers.ModelSerializer):
    force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The force's code")
    policing_body = serializers.CharField(source="policing_body.name", read_only=True, allow_null=True, default=None)
    confirmed = serializers.BooleanField(source="is_confirmed", read_only=True)
    confirmed_by = serializers.SerializerMethodField()

    class Meta:
        model = AgreementParty
        fields = ["force", "party_type", "policing_body", "confirmed", "confirmed_by", "confirmed_at"]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "nullable": True, "description": '"Name, job title"'})
    def get_confirmed_by(self, party) -> str | None:
        return display_name(party.confirmed_by) if party.confirmed_by_id else None


class RequirementRefSerializer(serializers.Serializer):
    edition = serializers.CharField(source="edition.code", help_text="The edition's code, e.g. `spr-2012`")
    ref = serializers.CharField(help_text="The paragraph reference, e.g. `6.4`")


class AgreementSerializer(serializers.ModelSerializer):
    lead_force = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="The lead force's code")
    statutory_basis_label = serializers.CharField(source="basis_label", read_only=True)
    parties = PartySerializer(many=True, read_only=True)
    requirements = RequirementRefSerializer(many=True, read_only=True)
    capabilities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    review_overdue = serializers.BooleanField(source="is_review_overdue", read_only=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "title",
            "statutory_basis",
            "statutory_basis_label",
            "description",
            "lead_force",
            "parties",
            "requirements",
            "capabilities",
            "start_date",
            "review_date",
            "end_date",
            "review_overdue",
            "created_at",
        ]
        read_only_fields = fields


class _StrictInput(serializers.Serializer):
    """Input that refuses any key it does not take (a browser form's CSRF token aside), each named
    with `unknown_message`."""

    unknown_message = _("This field is not recognised")

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data) - set(self.fields) - {"csrfmiddlewaretoken"})
            if unknown:
                raise serializers.ValidationError(dict.fromkeys(unknown, [self.unknown_message]))
        return super().to_internal_value(data)


class AgreementCreateSerializer(_StrictInput):
    """An agreement led by `lead_force` (left out by a user who acts for one force) with the forces
    in `parties` (codes; the lead force is a party already)."""

    lead_force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), required=False, help_text="The lead force's code"
    )
    title = serializers.CharField(max_length=200)
    statutory_basis = serializers.ChoiceField(choices=StatutoryBasis.choices)
    statutory_basis_other = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    parties = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), many=True, help_text="Codes of the other party forces"
    )
    edition = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Edition.objects.all(),
        required=False,
        help_text="The edition the requirement refs belong to (default: the newest in force)",
    )
    requirements = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, default=list, max_length=500
    )
    capabilities = serializers.SlugRelatedField(
        slug_field="code", queryset=CapacityCapability.objects.all(), many=True, required=False, default=list
    )
    start_date = serializers.DateField()
    review_date = serializers.DateField(required=False, allow_null=True, default=None)
    end_date = serializers.DateField(required=False, allow_null=True, default=None)


class AgreementUpdateSerializer(_StrictInput):
    """What the lead force may change: details, what it delivers and dates (never lead force or parties)."""

    title = serializers.CharField(max_length=200, required=False)
    statutory_basis = serializers.ChoiceField(choices=StatutoryBasis.choices, required=False)
    statutory_basis_other = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=4000, required=False, allow_blank=True, trim_whitespace=False)
    edition = serializers.SlugRelatedField(slug_field="code", queryset=Edition.objects.all(), required=False)
    requirements = serializers.ListField(child=serializers.CharField(max_length=30), required=False, max_length=500)
    capabilities = serializers.SlugRelatedField(
        slug_field="code", queryset=CapacityCapability.objects.all(), many=True, required=False
    )
    start_date = serializers.DateField(required=False)
    review_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)

    unknown_message = _("This field cannot be changed")

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError(_("Send at least one field to change"))
        return attrs


class PartyAddSerializer(_StrictInput):
    """A force to add to an agreement (the lead force's staff), and who in it is party."""

    force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), help_text="The code of the force to add"
    )
    party_type = serializers.ChoiceField(choices=PartyType.choices, required=False, default=PartyType.BOTH)
