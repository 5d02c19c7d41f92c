"""The report API: the twin of the report pages over the same selectors and services.

POST /reports/ answers 202 with the job (an identical report already built comes back done, with its
download URL); clients poll GET /reports/{id}/ until `status` is done or failed, then fetch
`download`. A job about a subject the user cannot see is a 404, in lists it never appears.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from reports import selectors, services
from reports.api.serializers import ReportJobSerializer, ReportRequestSerializer
from reports.downloads import report_file_response

DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
NOT_FOUND = OpenApiResponse(DETAIL, description="No such report, or it is about something you cannot see")
FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: `{field: [message, ...]}`")
FORBIDDEN = OpenApiResponse(
    DETAIL, description="Only HMIC inspectors and national administrators get national overviews"
)


class PdfRenderer(BaseRenderer):
    """Lets a client that asks for application/pdf (or anything) reach the download; errors stay JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else JSONRenderer().render(data)


@extend_schema_view(
    list=extend_schema(summary="Report jobs you may see, newest first"),
    retrieve=extend_schema(
        summary="One report job and its progress", responses={200: ReportJobSerializer, 404: NOT_FOUND}
    ),
)
class ReportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ReportJobSerializer
    filterset_class = None

    def get_queryset(self):
        return selectors.report_job_list(user=self.request.user)

    @extend_schema(
        summary="Ask for a PDF report",
        description=(
            "Queues the report and answers 202 at once with the job; poll the job until `status` is `done`, "
            "then GET `download`. If the same content was already built the existing job comes back (done); if "
            "it is being built, the job in progress. With the queue down the job is saved as queued "
            "(`dispatched_at` null) and built when the queue is back."
        ),
        request=ReportRequestSerializer,
        responses={202: ReportJobSerializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def create(self, request):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        job, _created = services.report_request(
            user=request.user,
            kind=data["kind"],
            assessment=data.get("assessment"),
            edition=data.get("edition"),
            period=data.get("period"),
            region=data.get("region"),
        )
        job = self.get_queryset().get(pk=job.pk)
        body = self.get_serializer(job).data
        return Response(
            body,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": request.build_absolute_uri(f"{request.path.rstrip('/')}/{job.pk}/")},
        )

    @extend_schema(
        summary="The PDF, as an attachment",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The report; sent with nosniff"),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PdfRenderer])
    def download(self, request, pk=None):
        return report_file_response(self.get_object())
