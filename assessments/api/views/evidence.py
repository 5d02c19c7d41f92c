"""The evidence endpoint: a force's library of files, web links and references, each usable by many
responses. Items are added (a file by multipart upload), have their description changed, and a
file's item downloads it as an attachment through a renderer that accepts any type the client asks
for while still answering errors in JSON."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response as ApiResponse

from assessments import selectors, services
from assessments.api.filters import EvidenceFilter
from assessments.api.serializers import EvidenceCreateSerializer, EvidenceSerializer, EvidenceUpdateSerializer
from assessments.api.views.common import (
    NOT_FOUND,
    ManagesForceRecords,
    created,
    force_for,
    validated,
    write_responses,
)
from assessments.downloads import evidence_file_response
from core.api.parsers import SafeJSONParser


class FileRenderer(BaseRenderer):
    """Lets a client that asks for the file's own type (or anything) reach the download; errors are
    still JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if not isinstance(data, bytes) else data


# Evidence -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The evidence libraries you may see"),
    retrieve=extend_schema(summary="One evidence item", responses={200: EvidenceSerializer, 404: NOT_FOUND}),
)
class EvidenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A force's evidence library: files, web links and references, each usable by many responses."""

    serializer_class = EvidenceSerializer
    filterset_class = EvidenceFilter
    permission_classes = [IsAuthenticated, ManagesForceRecords]
    # Unsafe file names are marked by core.multipart (FILE_UPLOAD_HANDLERS) and refused by the service.
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.evidence_list(user=self.request.user).prefetch_related("shared_with")

    @extend_schema(
        summary="Add evidence: a file (multipart, `upload`), a link (`url`) or a reference",
        description=(
            "A file's type is read from its content, never its name; names with folder parts or control "
            "characters are refused. `force` may be left out by a user who acts for one force."
        ),
        request={"multipart/form-data": EvidenceCreateSerializer, "application/json": EvidenceCreateSerializer},
        responses=write_responses(201, EvidenceSerializer),
    )
    def create(self, request):
        data = validated(EvidenceCreateSerializer, request)
        item = services.evidence_create(user=request.user, force=force_for(request.user, data), **data)
        return created(self, item, "api-evidence-detail")

    @extend_schema(
        summary="Change an item's description (never its file, kind or force)",
        request=EvidenceUpdateSerializer,
        responses=write_responses(200, EvidenceSerializer),
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = validated(EvidenceUpdateSerializer, request, partial=True)
        services.evidence_update(user=request.user, evidence=item, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=item.pk)).data)

    @extend_schema(
        summary="The file, as an attachment",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, typed as checked at upload; sent with nosniff"
            ),
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer], filterset_class=None)
    def download(self, request, pk=None):
        return evidence_file_response(self.get_object())
