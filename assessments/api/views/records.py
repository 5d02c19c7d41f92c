"""The departures and actions endpoints: an assessment's records of justified departures from a
requirement (SPR §1.9) and of what will be done about each gap.

Both are one viewset, `RecordViewSet`, over a `RecordEndpoint` that says what differs (serializers,
filters, selector, service and the documented summaries). It parses the input, saves through the
register's service on create or on a partial update, and answers with the record as the list shows
it. DRF routes, and drf-spectacular documents, a class per endpoint, so `RecordViewSet.of` makes each
register's class from its declaration."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
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


@dataclass(frozen=True)
class RecordEndpoint:
    """What one register's endpoint differs in."""

    #: One record, as its route's basename says it ("departure" for `api-departure-detail`).
    noun: str
    #: What the endpoint serves, for the OpenAPI description.
    description: str
    serializer: type[serializers.Serializer]
    input_serializer: type[serializers.Serializer]
    filterset: type
    #: (user=) -> the records the user may see.
    selector: Callable[..., QuerySet]
    #: (user=, assessment=, record=, **the input) -> the saved record; the input leaves out what a
    #: partial update does not change.
    save: Callable[..., Model]
    #: The OpenAPI summary of list, retrieve, create and partial_update.
    summaries: dict[str, str]


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Records of one assessment, written through one service (see `RecordEndpoint`)."""

    permission_classes = [IsAuthenticated, ManagesForceRecords]
    http_method_names = ["get", "post", "patch", "head", "options"]
    endpoint: RecordEndpoint

    @classmethod
    def of(cls, endpoint: RecordEndpoint) -> type[RecordViewSet]:
        """The viewset class of one register, documented from its declaration."""
        viewset = type(
            f"{endpoint.noun.title()}ViewSet",
            (cls,),
            {
                "__doc__": endpoint.description,
                "__module__": __name__,
                "endpoint": endpoint,
                "serializer_class": endpoint.serializer,
                "filterset_class": endpoint.filterset,
            },
        )
        summaries = endpoint.summaries
        return extend_schema_view(
            list=extend_schema(summary=summaries["list"]),
            retrieve=extend_schema(summary=summaries["retrieve"], responses={200: endpoint.serializer, 404: NOT_FOUND}),
            create=extend_schema(
                summary=summaries["create"],
                request=endpoint.input_serializer,
                responses=write_responses(201, endpoint.serializer),
            ),
            partial_update=extend_schema(
                summary=summaries["partial_update"],
                request=endpoint.input_serializer,
                responses=write_responses(200, endpoint.serializer),
            ),
        )(viewset)

    def get_queryset(self):
        return self.endpoint.selector(user=self.request.user)

    # No docstrings on the methods: drf-spectacular would show them instead of the endpoint's description.
    def create(self, request):
        data = validated(self.endpoint.input_serializer, request)
        record = self.endpoint.save(user=request.user, **data)
        return created(self, record, f"api-{self.endpoint.noun}-detail")

    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = validated(self.endpoint.input_serializer, request, partial=True, instance=record)
        self.endpoint.save(user=request.user, assessment=record.assessment, record=record, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


def _departure_save(*, record=None, requirement=None, evidence=None, **fields):
    return services.departure_save(departure=record, requirement=requirement, evidence_ids=evidence, **fields)


def _action_save(*, record=None, requirement=None, **fields):
    return services.action_save(action=record, requirement=requirement, **fields)


DepartureViewSet = RecordViewSet.of(
    RecordEndpoint(
        noun="departure",
        description="Justified decisions not to follow a requirement. `evidence` takes ids of the force's evidence.",
        serializer=DepartureSerializer,
        input_serializer=DepartureInputSerializer,
        filterset=DepartureFilter,
        selector=selectors.departure_list,
        save=_departure_save,
        summaries={
            "list": "Departures from requirements (SPR §1.9) you may see",
            "retrieve": "One departure",
            "create": "Record a departure",
            "partial_update": "Change a departure",
        },
    )
)

ActionViewSet = RecordViewSet.of(
    RecordEndpoint(
        noun="action",
        description=("What will be done about each gap, by whom and by when; `overdue` is open and past its due date."),
        serializer=ActionSerializer,
        input_serializer=ActionInputSerializer,
        filterset=ActionFilter,
        selector=selectors.action_list,
        save=_action_save,
        summaries={
            "list": "Actions on gaps you may see",
            "retrieve": "One action",
            "create": "Record an action",
            "partial_update": "Change an action",
        },
    )
)
