"""The assessment as an Excel workbook: GET downloads it (sheets Responses, Evidence, Departures and
Actions), POST imports one into the draft (multipart `file`). With `?dry_run=1` the POST only says
what would happen; without it, it writes every change or none. Both answer the same shape: the rows
that change a response and the rows refused, with sheet, row and reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response as ApiResponse

from assessments import selectors, workbook
from assessments.api.serializers import WorkbookImportSerializer, WorkbookUploadSerializer
from assessments.api.views.common import CONFLICT, FORBIDDEN, NOT_FOUND, validated
from assessments.api.views.evidence import FileRenderer
from assessments.downloads import workbook_file_response

DRY_RUN = OpenApiParameter(
    "dry_run",
    OpenApiTypes.BOOL,
    description="`1` to see what the import would change and refuse, writing nothing",
)


def _answer(plan: workbook.ImportPlan, *, dry_run: bool, written: bool) -> dict:
    return WorkbookImportSerializer(
        {
            "dry_run": dry_run,
            "written": written,
            "changes": plan.changes,
            "refusals": plan.refusals,
            "unchanged": plan.unchanged,
        }
    ).data


class WorkbookActions:
    """The `workbook/` route of an assessment (mixed into AssessmentViewSet)."""

    @extend_schema(
        methods=["GET"],
        summary="The assessment as an Excel workbook (.xlsx)",
        description=(
            "One sheet each for `Responses` (one row per requirement, its paragraph reference in column A), "
            "`Evidence`, `Departures` and `Actions`, with a frozen header row and dates as dates."
        ),
        responses={
            (200, workbook.CONTENT_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The workbook"),
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["POST"],
        summary="Import answers from a workbook into the draft",
        description=(
            "Reads the `Responses` sheet (column A the paragraph reference; Judgement, Narrative and Evidence "
            "found by their headers) and the `Actions` sheet (an action plan: a row changes the draft's action "
            "on that requirement with that gap, or adds one). The file goes through the evidence library's "
            "upload checks. A row "
            "with a formula, an unknown requirement or a value off the scale is refused. With `dry_run=1` "
            "nothing is written (200). Otherwise every change is written in one transaction (200, "
            "`written` true) or, if any row is refused, none (400 with the same shape); a response "
            "changed meanwhile is a 409. A workbook in a layout of its own names its answers' `sheet` and "
            "the column letters of the reference (default A), judgement, narrative and evidence."
        ),
        parameters=[DRY_RUN],
        request={"multipart/form-data": WorkbookUploadSerializer},
        responses={
            200: WorkbookImportSerializer,
            400: OpenApiResponse(WorkbookImportSerializer, description="Rows refused, or the file itself"),
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filterset_class=None,
        parser_classes=[MultiPartParser, FormParser],
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def workbook(self, request, pk=None):
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        if request.method == "GET":
            return workbook_file_response(assessment)
        workbook.require_importable(request.user, assessment)
        dry_run = request.query_params.get("dry_run", "").lower() in {"1", "true", "yes"}
        data = validated(WorkbookUploadSerializer, request)
        mapping = workbook.column_map(**{name: data.get(name, "") for name in ("sheet", *workbook.MAPPING_FIELDS)})
        try:
            plan = workbook.plan_import(assessment=assessment, upload=data["file"], mapping=mapping)
        except DjangoValidationError as exc:
            raise DjangoValidationError({"file": exc.messages}) from None
        if dry_run:
            return ApiResponse(_answer(plan, dry_run=True, written=False))
        if plan.refusals:
            return ApiResponse(_answer(plan, dry_run=False, written=False), status=status.HTTP_400_BAD_REQUEST)
        workbook.workbook_import(user=request.user, assessment=assessment, changes=plan.changes)
        return ApiResponse(_answer(plan, dry_run=False, written=True))
