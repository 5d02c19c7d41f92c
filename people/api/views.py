"""API twins of the people pages: people (list and detail) and invitations (list, detail, create),
scoped as the pages are: another force's person or invitation is a 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from people import selectors, services
from people.api.serializers import (
    InvitationCreatedSerializer,
    InvitationCreateSerializer,
    InvitationSerializer,
    PersonSerializer,
)
from people.permissions import can_manage_people


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People: everyone for a national administrator, a force administrator's own force's people,
    and only oneself for anyone else."""

    serializer_class = PersonSerializer

    def get_queryset(self):
        return selectors.person_list(user=self.request.user)


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
