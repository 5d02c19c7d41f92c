"""The HMIC workspace's API: `/api/v1/evidence-requests/` and `/api/v1/findings/` (list, detail,
create), with the force's answer and response as extra actions. The pages' twins: the same
selectors, services and permission predicates.

A force's people see their own force's; HMIC inspectors see every force's and are the only ones who
create (403 for anyone else). Another force's request or finding is a 404 on every route.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.reverse import reverse

from assessments.api.views.evidence import FileRenderer
from assessments.downloads import evidence_file_response
from inspection import permissions, selectors, services
from inspection.api.filters import EvidenceRequestFilter, FindingFilter
from inspection.api.serializers import (
    EvidenceAnswerSerializer,
    EvidenceRequestInputSerializer,
    EvidenceRequestSerializer,
    FindingInputSerializer,
    FindingResponseSerializer,
    FindingSerializer,
)

ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: `{field: [message, ...]}`")
DETAIL = OpenApiResponse(OpenApiTypes.OBJECT, description='`{"detail": message}`')


def _validated(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _created(view, obj, name):
    shown = view.get_queryset().get(pk=obj.pk)
    location = reverse(name, kwargs={"pk": obj.pk}, request=view.request)
    return Response(view.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers={"Location": location})


@extend_schema_view(
    list=extend_schema(summary="Evidence requests you may see (your force's, or every force's for HMIC)"),
    retrieve=extend_schema(summary="One evidence request", responses={200: EvidenceRequestSerializer, 404: DETAIL}),
)
class EvidenceRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """HMIC's requests to a force for evidence against named requirements, and the force's answers."""

    serializer_class = EvidenceRequestSerializer
    filterset_class = EvidenceRequestFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.evidence_request_list(user=self.request.user)

    @extend_schema(
        summary="Request evidence from a force (HMIC inspectors)",
        request=EvidenceRequestInputSerializer,
        responses={201: EvidenceRequestSerializer, 400: ERRORS, 403: DETAIL},
    )
    def create(self, request):
        if not permissions.can_raise(request.user):
            raise PermissionDenied("Only an HMIC inspector can request evidence")
        data = _validated(EvidenceRequestInputSerializer, request)
        created = services.evidence_request_create(user=request.user, **data)
        return _created(self, created, "api-evidence-request-detail")

    @extend_schema(
        summary="Answer a request with your force's evidence and a note (the force's staff)",
        request=EvidenceAnswerSerializer,
        responses={200: EvidenceRequestSerializer, 400: ERRORS, 403: DETAIL, 404: DETAIL},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        evidence_request = self.get_object()
        if not permissions.can_answer_for_force(request.user, evidence_request.force_id):
            raise PermissionDenied("Only the force's staff can answer its evidence requests")
        data = _validated(EvidenceAnswerSerializer, request)
        services.evidence_request_answer(
            user=request.user, evidence_request=evidence_request, evidence_ids=data["evidence"], note=data["note"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=evidence_request.pk)).data)

    @extend_schema(
        summary="Download a file the force answered the request with",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description="The file"),
            404: DETAIL,
            409: DETAIL,
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]{1,18})/download",
        renderer_classes=[JSONRenderer, FileRenderer],
        filterset_class=None,
    )
    def evidence_download(self, request, pk=None, evidence_pk=None):
        evidence_request = self.get_object()
        return evidence_file_response(selectors.answer_evidence_get(evidence_request=evidence_request, pk=evidence_pk))

    @extend_schema(
        summary="Accept a force's answer (HMIC inspectors)",
        request=None,
        responses={200: EvidenceRequestSerializer, 400: ERRORS, 403: DETAIL, 404: DETAIL},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        evidence_request = self.get_object()
        if not permissions.can_raise(request.user):
            raise PermissionDenied("Only an HMIC inspector can accept an answer")
        services.evidence_request_accept(user=request.user, evidence_request=evidence_request)
        return Response(self.get_serializer(self.get_queryset().get(pk=evidence_request.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Findings you may see (your force's, or every force's for HMIC)"),
    retrieve=extend_schema(summary="One finding", responses={200: FindingSerializer, 404: DETAIL}),
)
class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """HMIC's findings about a force (cause of concern, area for improvement, recommendation, good
    practice), and the force's responses with the actions it links."""

    serializer_class = FindingSerializer
    filterset_class = FindingFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user)

    @extend_schema(
        summary="Record a finding about a force (HMIC inspectors)",
        request=FindingInputSerializer,
        responses={201: FindingSerializer, 400: ERRORS, 403: DETAIL},
    )
    def create(self, request):
        if not permissions.can_raise(request.user):
            raise PermissionDenied("Only an HMIC inspector can record a finding")
        data = _validated(FindingInputSerializer, request)
        created = services.finding_create(user=request.user, **data)
        return _created(self, created, "api-finding-detail")

    @extend_schema(
        summary="Respond to a finding and link your force's actions (the force's staff)",
        request=FindingResponseSerializer,
        responses={200: FindingSerializer, 400: ERRORS, 403: DETAIL, 404: DETAIL},
    )
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        finding = self.get_object()
        if not permissions.can_answer_for_force(request.user, finding.force_id):
            raise PermissionDenied("Only the force's staff can respond to its findings")
        data = _validated(FindingResponseSerializer, request)
        services.finding_respond(
            user=request.user, finding=finding, response=data["response"], action_ids=data["actions"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)

    @extend_schema(
        summary="Close a finding (HMIC inspectors)",
        request=None,
        responses={200: FindingSerializer, 400: ERRORS, 403: DETAIL, 404: DETAIL},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        finding = self.get_object()
        if not permissions.can_raise(request.user):
            raise PermissionDenied("Only an HMIC inspector can close a finding")
        services.finding_close(user=request.user, finding=finding)
        return Response(self.get_serializer(self.get_queryset().get(pk=finding.pk)).data)
