"""What the API shows of people, invitations and single sign-on group mappings, and what it accepts."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.people import display_name, job_title_of
from core.roles import ROLE_SLUGS
from forces.models import Force
from people.models import JOB_TITLE_MAX, NAME_MAX, ROLE_CHOICES, Invitation, SsoGroupMapping
from people.permissions import role_of


class PersonSerializer(serializers.Serializer):
    """A person: name, job title, e-mail, role (slug), force (code) and whether they can sign in."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    job_title = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField(help_text='"Name, job title", as pages show the person')
    email = serializers.EmailField(read_only=True)
    username = serializers.CharField(
        read_only=True, help_text="The login: what other endpoints' `*_by` fields name, for administrators to match"
    )
    role = serializers.SerializerMethodField(help_text="staff, chief, pcc, inspector, admin or force-admin")
    force = serializers.SerializerMethodField(help_text="The force's code; null for national roles")
    active = serializers.BooleanField(source="is_active", read_only=True)

    def get_name(self, person) -> str:
        return person.get_full_name()

    def get_job_title(self, person) -> str:
        return job_title_of(person)

    def get_display_name(self, person) -> str:
        return display_name(person)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_role(self, person):
        role = role_of(person)
        return ROLE_SLUGS[role] if role else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_force(self, person):
        memberships = list(person.memberships.all())
        return memberships[0].force.code if memberships else None


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation; `link` is given once, to the inviter, in the answer that creates it."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "email",
            "name",
            "job_title",
            "role",
            "force",
            "status",
            "created_at",
            "expires_at",
            "invited_by",
        ]
        read_only_fields = fields

    def get_invited_by(self, invitation) -> str:
        return display_name(invitation.created_by)


class InvitationCreatedSerializer(InvitationSerializer):
    link = serializers.CharField(read_only=True, help_text="The one-time link; shown only here")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "link"]
        read_only_fields = fields


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    name = serializers.CharField(max_length=NAME_MAX)
    job_title = serializers.CharField(max_length=JOB_TITLE_MAX)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, help_text="The role's slug")
    force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), required=False, allow_null=True, help_text="The force's code"
    )

    def to_internal_value(self, data):
        unknown = set(data) - set(self.fields) if hasattr(data, "keys") else set()
        if unknown:
            raise serializers.ValidationError(dict.fromkeys(sorted(unknown), ["This field cannot be set here"]))
        return super().to_internal_value(data)


class PersonUpdateSerializer(serializers.Serializer):
    """What an administrator may change of a person; a field left out is unchanged."""

    name = serializers.CharField(max_length=NAME_MAX, required=False)
    job_title = serializers.CharField(max_length=JOB_TITLE_MAX, required=False)
    role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False, help_text="The role's slug")
    force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), required=False, allow_null=True, help_text="The force's code"
    )
    active = serializers.BooleanField(required=False, help_text="false deactivates, true reactivates")

    def to_internal_value(self, data):
        unknown = set(data) - set(self.fields) if hasattr(data, "keys") else set()
        if unknown:
            raise serializers.ValidationError(dict.fromkeys(sorted(unknown), ["This field cannot be set here"]))
        return super().to_internal_value(data)


class _NoUnknownFields:
    def to_internal_value(self, data):
        unknown = set(data) - set(self.fields) if hasattr(data, "keys") else set()
        if unknown:
            raise serializers.ValidationError(dict.fromkeys(sorted(unknown), ["This field cannot be set here"]))
        return super().to_internal_value(data)


class SsoMappingSerializer(serializers.ModelSerializer):
    """A groups claim value and the role (slug) and force (code) it gives at single sign-on."""

    force = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = SsoGroupMapping
        fields = ["id", "group", "role", "force", "created_at", "created_by"]
        read_only_fields = fields

    def get_created_by(self, mapping) -> str:
        return display_name(mapping.created_by)


class SsoMappingCreateSerializer(_NoUnknownFields, serializers.Serializer):
    group = serializers.CharField(max_length=200, help_text="The claim value, exactly as the provider sends it")
    role = serializers.ChoiceField(choices=ROLE_CHOICES, help_text="The role's slug")
    force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), required=False, allow_null=True, help_text="The force's code"
    )


class SsoMappingUpdateSerializer(_NoUnknownFields, serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES, help_text="The role's slug")
    force = serializers.SlugRelatedField(
        slug_field="code", queryset=Force.objects.all(), required=False, allow_null=True, help_text="The force's code"
    )
