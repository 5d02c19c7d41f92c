"""API over forces' capacity returns: committed and available figures per force, capability and
period, as JSON or CSV."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from capacity import services
from capacity.api.filters import CapacityCommitmentFilter, ExpectedContributionFilter
from capacity.api.serializers import (
    CapacityCommitmentCreateSerializer,
    CapacityCommitmentSerializer,
    CapacityCommitmentUpdateSerializer,
    ExpectedContributionInputSerializer,
    ExpectedContributionSerializer,
    ExpectedUploadSerializer,
)
from capacity.models import ExpectedContribution
from capacity.selectors import capability_is_illustrative, commitment_list, expected_list
from core.csv import csv_response, csv_text
from core.roles import sees_all_forces
from forces.models import Force
from forces.scoping import force_ids_for


class CapacityCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, str | bytes) else csv_text(["detail"], [[str(data)]])


CAPACITY_CSV_HEADER = [
    "force_code",
    "force",
    "region",
    "period",
    "capability_code",
    "capability",
    "unit",
    "committed",
    "available",
    "notice_period_hours",
    "as_of",
    "expected",
    "shortfall_against_expected",
    "figures",
]


def _expected_cells(commitment, expectation) -> list:
    """expected, shortfall against it, and whether the figures are illustrative or official."""
    illustrative = capability_is_illustrative(commitment.capability) or (
        expectation is not None and not expectation.official
    )
    label = "ILLUSTRATIVE, not official" if illustrative else "official"
    if expectation is None:
        return ["", "", label]
    return [expectation.expected, max(0, expectation.expected - commitment.committed), label]


@extend_schema_view(
    list=extend_schema(
        summary="Capacity figures you may see (your own force's, or every force's for national roles)",
        parameters=[OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` for CSV")],
        responses={
            (200, "application/json"): CapacityCommitmentSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, injection-safe"),
        },
    ),
    retrieve=extend_schema(summary="One force's figures for one capability and period"),
)
class CapacityCommitmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Committed and available figures per force, capability and period (SPR §3.2, §3.3, §4.2).

    Another force's row answers 404 to a force role. PCC office staff record their own force's
    figures; national administrators any force's. The pages and the API record figures by the same rules.
    """

    serializer_class = CapacityCommitmentSerializer
    filterset_class = CapacityCommitmentFilter
    renderer_classes = [JSONRenderer, CapacityCSVRenderer]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return commitment_list(user=self.request.user)

    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format == "csv":
            rows = list(self.filter_queryset(self.get_queryset()))
            # One more query, however many rows: each row's expected contribution, if set.
            expected = {
                (e.force_id, e.capability_id, e.period): e
                for e in ExpectedContribution.objects.filter(
                    force_id__in={c.force_id for c in rows}, period__in={c.period for c in rows}
                )
            }
            text = csv_text(
                CAPACITY_CSV_HEADER,
                (
                    [
                        c.force.code,
                        c.force.name,
                        c.force.region.name,
                        c.period,
                        c.capability.code,
                        c.capability.name,
                        c.capability.unit,
                        c.committed,
                        c.available,
                        c.notice_period_hours,
                        c.as_of.isoformat(),
                        *_expected_cells(c, expected.get((c.force_id, c.capability_id, c.period))),
                    ]
                    for c in rows
                ),
            )
            return csv_response("spr-capacity-commitments.csv", text)
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record a force's figures for one capability and period",
        request=CapacityCommitmentCreateSerializer,
        responses={201: CapacityCommitmentSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def create(self, request):
        serializer = CapacityCommitmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        force = data.pop("force", None)
        if force is None:
            ids = force_ids_for(request.user)
            if len(ids) != 1:
                raise DjangoValidationError({"force": "Enter the force's code"})
            force = Force.objects.get(pk=ids[0])
        elif not Force.objects.filter(pk=force.pk, id__in=self._visible_force_ids()).exists():
            raise DjangoValidationError({"force": "Enter the code of a force you act for"})
        commitment = services.capacity_commitment_create(user=request.user, force=force, **data)
        shown = self.get_queryset().get(pk=commitment.pk)
        location = reverse("api-capacity-detail", kwargs={"pk": commitment.pk}, request=request)
        return Response(self.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        summary="Change a force's figures (never its force, capability or period)",
        request=CapacityCommitmentUpdateSerializer,
        responses={
            200: CapacityCommitmentSerializer,
            400: OpenApiTypes.OBJECT,
            403: OpenApiTypes.OBJECT,
            404: OpenApiTypes.OBJECT,
        },
    )
    def partial_update(self, request, pk=None):
        commitment = self.get_object()
        serializer = CapacityCommitmentUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.capacity_commitment_update(user=request.user, commitment=commitment, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=commitment.pk)).data)

    def _visible_force_ids(self) -> list[int]:
        if sees_all_forces(self.request.user):
            return list(Force.objects.values_list("id", flat=True))
        return force_ids_for(self.request.user)


@extend_schema_view(
    list=extend_schema(summary="Expected contributions you may see (your own force's, or every force's)"),
    retrieve=extend_schema(summary="One force's expected contribution for one capability and period"),
)
class ExpectedContributionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What each force is expected to contribute per capability and period (SPR §3.1(b), §3.3): the
    page /capacity/expected/'s twin. Force roles read their own force's; national administrators set
    them, one at a time or from a CSV file (all or nothing, with a report of every refused row)."""

    serializer_class = ExpectedContributionSerializer
    filterset_class = ExpectedContributionFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return expected_list(user=self.request.user)

    @extend_schema(
        summary="Set a force's expected contribution (created, or changed if already set)",
        request=ExpectedContributionInputSerializer,
        responses={200: ExpectedContributionSerializer, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    def create(self, request):
        if not services.can_set_expected_contributions(request.user):
            raise PermissionDenied("Only a national administrator can set expected contributions")
        serializer = ExpectedContributionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = services.expected_contribution_save(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=row.pk)).data)

    @extend_schema(
        summary="Upload a CSV of expected contributions (all or nothing)",
        request={"multipart/form-data": ExpectedUploadSerializer},
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser])
    def upload(self, request):
        if not services.can_set_expected_contributions(request.user):
            raise PermissionDenied("Only a national administrator can set expected contributions")
        serializer = ExpectedUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        if upload.size > 1024 * 1024:
            raise DjangoValidationError({"file": "The selected file must be smaller than 1 MB"})
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DjangoValidationError({"file": "The selected file must be a CSV file saved as UTF-8"}) from None
        report = services.expected_contributions_import(user=request.user, text=text)
        body = {
            "rows": report.rows,
            "written": report.written,
            "errors": [{"row": line, "reason": reason} for line, reason in report.errors],
        }
        return Response(body, status=status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST)
