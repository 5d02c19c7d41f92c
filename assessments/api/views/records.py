"""The departures and actions endpoints: an assessment's records of justified departures from a
requirement (SPR §1.9) and of what will be done about each gap. Both are written through one service
each by a shared base, which parses the input, saves on create or on a partial update, and answers
with the record as the list shows it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as ApiResponse

from assessments import selectors, services
from assessments.api.filters import ActionFilter, DepartureFilter
from assessments.api.serializers import (
    ActionInputSerializer,
    ActionSerializer,
    DepartureInputSerializer,
    DepartureSerializer,
)
from assessments.api.views.common import NOT_FOUND, ManagesForceRecords, created, validated, write_responses

# Departures and actions -----------------------------------------------------------------------------


class _AssessmentRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared by departures and actions: records of one assessment, written through one service."""

    permission_classes = [IsAuthenticated, ManagesForceRecords]
    http_method_names = ["get", "post", "patch", "head", "options"]
    input_serializer_class: type
    detail_view_name: str

    def save(self, *, user, assessment, record=None, **data):
        raise NotImplementedError

    def create(self, request):
        data = validated(self.input_serializer_class, request)
        record = self.save(user=request.user, **data)
        return created(self, record, self.detail_view_name)

    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = validated(self.input_serializer_class, request, partial=True)
        self.save(user=request.user, assessment=record.assessment, record=record, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Departures from requirements (SPR §1.9) you may see"),
    retrieve=extend_schema(summary="One departure", responses={200: DepartureSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Record a departure",
        request=DepartureInputSerializer,
        responses=write_responses(201, DepartureSerializer),
    ),
    partial_update=extend_schema(
        summary="Change a departure",
        request=DepartureInputSerializer,
        responses=write_responses(200, DepartureSerializer),
    ),
)
class DepartureViewSet(_AssessmentRecordViewSet):
    """Justified decisions not to follow a requirement. `evidence` takes ids of the force's evidence."""

    serializer_class = DepartureSerializer
    filterset_class = DepartureFilter
    input_serializer_class = DepartureInputSerializer
    detail_view_name = "api-departure-detail"

    def get_queryset(self):
        return selectors.departure_list(user=self.request.user)

    def save(self, *, user, assessment, record=None, **data):
        return services.departure_save(
            user=user,
            assessment=assessment,
            departure=record,
            requirement=data.pop("requirement", None),
            evidence_ids=data.pop("evidence", None),
            **data,
        )


@extend_schema_view(
    list=extend_schema(summary="Actions on gaps you may see"),
    retrieve=extend_schema(summary="One action", responses={200: ActionSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Record an action", request=ActionInputSerializer, responses=write_responses(201, ActionSerializer)
    ),
    partial_update=extend_schema(
        summary="Change an action", request=ActionInputSerializer, responses=write_responses(200, ActionSerializer)
    ),
)
class ActionViewSet(_AssessmentRecordViewSet):
    """What will be done about each gap, by whom and by when; `overdue` is open and past its due date."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter
    input_serializer_class = ActionInputSerializer
    detail_view_name = "api-action-detail"

    def get_queryset(self):
        return selectors.action_list(user=self.request.user)

    def save(self, *, user, assessment, record=None, **data):
        return services.action_save(
            user=user, assessment=assessment, action=record, requirement=data.pop("requirement", None), **data
        )
