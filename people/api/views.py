"""API twins of the people pages: people (list and detail), invitations (list, detail, create) and
single sign-on group mappings, scoped as the pages are: another force's person, invitation or mapping
is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from core.people import job_title_of
from people import selectors, services, sso
from people.api.serializers import (
    InvitationCreatedSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    PersonSerializer,
    PersonUpdateSerializer,
    SsoMappingCreateSerializer,
    SsoMappingSerializer,
    SsoMappingUpdateSerializer,
)
from people.permissions import can_manage_people, role_of


class PersonViewSet(mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """People: everyone for a national administrator, a force administrator's own force's people,
    and only oneself for anyone else. PATCH changes name, job title, role, force or access, by the
    rules of the pages (nobody changes themselves; a force administrator grants force roles only)."""

    serializer_class = PersonSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)

    @extend_schema(request=PersonUpdateSerializer, responses={200: PersonSerializer})
    def partial_update(self, request, *args, **kwargs):
        person = self.get_object()
        if not can_manage_people(request.user):
            raise PermissionDenied("Only a national or force administrator can change people")
        serializer = PersonUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if {"name", "job_title", "role", "force"} & set(data):
            role = role_of(person)
            memberships = list(person.memberships.all())
            services.person_update(
                user=request.user,
                person=person,
                name=data.get("name", person.get_full_name()),
                job_title=data.get("job_title", job_title_of(person)),
                role=data.get("role", role.slug if role else ""),
                force=data["force"] if "force" in data else (memberships[0].force if memberships else None),
            )
        if "active" in data:
            change = services.person_reactivate if data["active"] else services.person_deactivate
            change(user=request.user, person=person)
        return Response(PersonSerializer(self.get_queryset().get(pk=person.pk)).data)


class InvitationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Invitations the administrator manages. POST invites a person by e-mail."""

    serializer_class = InvitationSerializer

    def get_queryset(self):
        return selectors.invitation_list(user=self.request.user)

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationCreatedSerializer})
    def create(self, request, *args, **kwargs):
        if not can_manage_people(request.user):
            raise PermissionDenied("Only a national or force administrator can invite people")
        serializer = InvitationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        invitation, link = services.invitation_create(
            user=request.user,
            email=data["email"],
            name=data["name"],
            job_title=data["job_title"],
            role=data["role"],
            force=data.get("force"),
        )
        invitation.link = link
        shown = InvitationCreatedSerializer(invitation, context=self.get_serializer_context()).data
        return Response(shown, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: InvitationCreatedSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send a new link (the old one stops working) with a new expiry; answers the new link."""
        invitation, link = services.invitation_resend(user=request.user, invitation=self.get_object())
        invitation.link = link
        return Response(InvitationCreatedSerializer(invitation).data)

    @extend_schema(request=None, responses={200: InvitationSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a pending invitation: its link stops working."""
        invitation = services.invitation_cancel(user=request.user, invitation=self.get_object())
        return Response(InvitationSerializer(invitation).data)


class SsoMappingViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Single sign-on group mappings: every one for a national administrator, their own forces' for a
    force administrator (who maps only to force roles there). PATCH changes the role and force."""

    serializer_class = SsoMappingSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return sso.mapping_list(user=self.request.user)

    def _require_manager(self):
        if not can_manage_people(self.request.user):
            raise PermissionDenied("Only a national or force administrator can map single sign-on groups")

    @extend_schema(request=SsoMappingCreateSerializer, responses={201: SsoMappingSerializer})
    def create(self, request, *args, **kwargs):
        self._require_manager()
        serializer = SsoMappingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mapping = sso.mapping_create(user=request.user, group=data["group"], role=data["role"], force=data.get("force"))
        return Response(SsoMappingSerializer(mapping).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SsoMappingUpdateSerializer, responses={200: SsoMappingSerializer})
    def partial_update(self, request, *args, **kwargs):
        mapping = self.get_object()
        self._require_manager()
        serializer = SsoMappingUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        mapping = sso.mapping_update(user=request.user, mapping=mapping, role=data["role"], force=data.get("force"))
        return Response(SsoMappingSerializer(mapping).data)

    def destroy(self, request, *args, **kwargs):
        mapping = self.get_object()
        self._require_manager()
        sso.mapping_delete(user=request.user, mapping=mapping)
        return Response(status=status.HTTP_204_NO_CONTENT)
