"""API over the national deadlines: everyone signed in reads them; national administrators set them
(POST creates a period's deadlines or changes them if set; PATCH/PUT on one row changes its dates).
The page /deadlines/ is the twin, over the same selector and service."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.reverse import reverse

from core.periods import PERIOD_RE
from cycle import selectors, services
from cycle.api.serializers import (
    PeriodDeadlinesInputSerializer,
    PeriodDeadlinesSerializer,
    PeriodDeadlinesUpdateSerializer,
)
from cycle.permissions import can_set_deadlines


def _require_setter(user) -> None:
    if not can_set_deadlines(user):
        raise PermissionDenied("Only a national administrator can set deadlines")


@extend_schema_view(
    list=extend_schema(
        summary="Deadlines of every period, or of one (?period=2026/27)",
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, description="A financial year, e.g. `2026/27`")],
    ),
    retrieve=extend_schema(summary="One period's deadlines"),
)
class PeriodDeadlinesViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The national deadlines per reporting period (submit, respond, sign off, publish)."""

    serializer_class = PeriodDeadlinesSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        queryset = selectors.deadlines_list(user=self.request.user)
        if self.action == "list" and "period" in self.request.query_params:
            period = self.request.query_params["period"].replace("-", "/", 1)
            if not PERIOD_RE.match(period):
                raise DjangoValidationError({"period": "Enter the reporting period as a financial year, like 2026/27"})
            queryset = queryset.filter(period=period)
        return queryset

    @extend_schema(
        summary="Set a period's deadlines (created, or changed if already set)",
        request=PeriodDeadlinesInputSerializer,
        responses={
            200: PeriodDeadlinesSerializer,
            201: PeriodDeadlinesSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
        },
    )
    def create(self, request):
        _require_setter(request.user)
        serializer = PeriodDeadlinesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row, created = services.period_deadlines_save(user=request.user, **serializer.validated_data)
        body = self.get_serializer(self.get_queryset().get(pk=row.pk)).data
        if not created:
            return Response(body)
        location = reverse("api-deadline-detail", kwargs={"pk": row.pk}, request=request)
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Change a period's dates (never its period)",
        request=PeriodDeadlinesUpdateSerializer,
        responses={200: PeriodDeadlinesSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def update(self, request, pk=None, partial=False):
        _require_setter(request.user)
        row = self.get_object()
        serializer = PeriodDeadlinesUpdateSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        dates = {name: getattr(row, name) for name in services.DEADLINE_FIELDS} | dict(serializer.validated_data)
        services.period_deadlines_save(user=request.user, period=row.period, **dates)
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(
        summary="Change some of a period's dates",
        request=PeriodDeadlinesUpdateSerializer,
        responses={200: PeriodDeadlinesSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)
