"""The dashboards' API twins: the same selectors as the pages, as JSON (or CSV with ?format=csv).

- /api/v1/dashboard/force/{code}/?period= — one force's heat map and counts. Force roles may ask
  only for their own forces: another force's code answers 404, exactly like a made-up one.
- /api/v1/dashboard/national/?edition=&period=&region=&body_type= — HMIC and national
  administrators only (403 for force roles); ?format=csv gives the national matrix as CSV.
- /api/v1/dashboard/capacity/?period=&region= — capacity totals against the planning assumptions;
  ?format=csv gives the capacity table.

The bodies are built as JSON-ready dicts by `dashboards.api.data` and returned as they are; the
serializers in `dashboards.api.serializers` describe them for the OpenAPI schema (and the tests check
a body against them). Running ~9,000 nested serializer fields per national request only to copy
numbers and strings cost more than building them.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from collaboration.selectors import agreement_summary
from core.periods import PERIOD_RE, current_period
from dashboards import exports, selectors
from dashboards.api import data
from dashboards.api.serializers import CapacitySummarySerializer, ForceDashboardSerializer, NationalSerializer
from dashboards.forms import CapacityFilterForm, NationalFilterForm
from dashboards.views import require_national
from forces.selectors import force_choices
from inspection import selectors as inspection_selectors

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
NOT_FOUND = OpenApiResponse(DETAIL, description="No such force, or one you do not act for")
FORBIDDEN = OpenApiResponse(DETAIL, description="Only HMIC inspectors and national administrators")
FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: `{field: [message, ...]}`")
CSV = OpenApiResponse(OpenApiTypes.STR, description="CSV; cells starting with = + - @ are prefixed with '")
PERIOD = OpenApiParameter("period", OpenApiTypes.STR, description="Financial year, e.g. `2025/26`")
REGION = OpenApiParameter("region", OpenApiTypes.STR, description="Region code, e.g. `west-midlands`")
FORMAT = OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` for a CSV download")


class CSVRenderer(BaseRenderer):
    """Lets ?format=csv (or Accept: text/csv) reach the view, which answers with the CSV itself."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, str | bytes):
            return data
        return exports.csv_text(["detail"], [[data.get("detail", "")]] if isinstance(data, dict) else [])


def _errors(form) -> ValidationError:
    return ValidationError({name: [str(error) for error in errors] for name, errors in form.errors.items()})


class ForceDashboardAPIView(APIView):
    @extend_schema(
        summary="One force's dashboard: heat map, change since last period, progress and counts",
        parameters=[PERIOD],
        responses={200: ForceDashboardSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
    )
    def get(self, request, code: str):
        force = get_object_or_404(force_choices(user=request.user), code=code)
        period = request.query_params.get("period") or None
        if period is not None and not PERIOD_RE.match(period):
            raise ValidationError({"period": ["Enter the reporting period as a financial year, like 2025/26"]})
        board = selectors.force_dashboard(user=request.user, force=force, period=period)
        inspection = inspection_selectors.force_inspection(user=request.user, force_id=force.id, details=False)
        counts = agreement_summary(force_id=force.id)
        return Response(
            {
                **data.force_dashboard_data(board, inspection),
                "agreements": {"total": counts.total, "review_overdue": counts.review_overdue},
            }
        )


class NationalDashboardAPIView(APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        summary="Every force × threat × area for an edition and period, with region and capacity totals",
        parameters=[
            OpenApiParameter("edition", OpenApiTypes.STR, description="Edition code (default: the one in force)"),
            PERIOD,
            REGION,
            OpenApiParameter("body_type", OpenApiTypes.STR, description="Policing body type, e.g. `pcc`"),
            OpenApiParameter(
                "deadline",
                OpenApiTypes.STR,
                enum=["done", "on_time", "due_soon", "late"],
                description="Only forces standing so against the period's deadlines",
            ),
            FORMAT,
        ],
        responses={
            (200, "application/json"): NationalSerializer,
            (200, "text/csv"): CSV,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        require_national(request.user)
        form = NationalFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise _errors(form)
        edition = form.cleaned_data["edition"] or selectors.default_edition(request.user)
        region = form.cleaned_data["region"]
        body_type = form.cleaned_data["body_type"] or None
        view = selectors.national_view(
            user=request.user,
            edition=edition,
            period=form.cleaned_data["period"] or None,
            region=region,
            body_type=body_type,
            sort=form.cleaned_data["sort"] or "force",
            deadline=form.cleaned_data["deadline"] or None,
        )
        if request.accepted_renderer.format == "csv":
            return exports.national_download(view)
        inspection = inspection_selectors.national_inspection(user=request.user, region=region)
        return Response(data.national_data(view, region=region, body_type=body_type, inspection=inspection))


class CapacityDashboardAPIView(APIView):
    renderer_classes = [JSONRenderer, CSVRenderer]

    @extend_schema(
        summary="Capacity totals against the national planning assumptions, nationally and by region",
        parameters=[PERIOD, REGION, FORMAT],
        responses={
            (200, "application/json"): CapacitySummarySerializer,
            (200, "text/csv"): CSV,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        require_national(request.user)
        form = CapacityFilterForm(request.query_params)
        if not form.is_valid():
            raise _errors(form)
        period = form.cleaned_data["period"] or current_period()
        summary = selectors.capacity_summary(period=period, region=form.cleaned_data["region"])
        if request.accepted_renderer.format == "csv":
            return exports.capacity_download(summary)
        return Response(data.capacity_data(summary))
