"""The responses endpoint: an assessment's answer to each requirement, read in edition order and
changed one at a time under optimistic locking. It holds the If-Match machinery too: the strong ETag
of a version, the parsing of the header (428 when it is missing, 400 when it is malformed), and the
412 answer that carries the stored response so the client can merge and retry."""

from __future__ import annotations

import re

from django.db import transaction
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException, ParseError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as ApiResponse

from assessments import selectors, services
from assessments.api.filters import ResponseFilter
from assessments.api.serializers import PreconditionFailedSerializer, ResponseSerializer, ResponseUpdateSerializer
from assessments.api.views.common import (
    CONFLICT,
    DETAIL,
    FIELD_ERRORS,
    FORBIDDEN,
    NOT_FOUND,
    ManagesForceRecords,
    validated,
)
from assessments.records import ResponseAnswer
from core.api.pagination import LargePagination

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The ETag from your last read of the response, e.g. `"3"` (its version, in double quotes).',
)


def _etag_header(*statuses: int) -> OpenApiParameter:
    return OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=list(statuses),
        description='The response\'s version as a strong entity tag, e.g. `"3"`; send it back in If-Match.',
    )


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = 'Send If-Match with the ETag of the response you read (e.g. If-Match: "3")'
    default_code = "precondition_required"


ENTITY_TAG = r'(?:W/)?"[\x21\x23-\x7e\x80-\xff]*"'
IF_MATCH_RE = re.compile(rf"\s*{ENTITY_TAG}\s*(?:,\s*{ENTITY_TAG}\s*)*")
STRONG_VERSION_RE = re.compile(r'(?<!W/)"(\d{1,9})"')


def etag_of(version: int) -> str:
    return f'"{version}"'


def _versions_in_if_match(request) -> set[int]:
    """The versions a PATCH's If-Match names as strong ETags (weak tags never match, RFC 9110 §13.1.1)."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise PreconditionRequired()
    if header == "*":
        raise PreconditionRequired('If-Match: * does not say which version you read; send its ETag, e.g. "3"')
    if not IF_MATCH_RE.fullmatch(header):
        raise ParseError('If-Match must be an ETag in double quotes, e.g. If-Match: "3"')
    return {int(value) for value in STRONG_VERSION_RE.findall(header)}


# Responses ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Responses of the assessments you may see, in edition order"),
)
class ResponseViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """An assessment's answer to each requirement. Filter with `?assessment=<id>`.

    Each response's ETag is `"<version>"`; change one with PATCH and If-Match (see the PATCH docs).
    """

    serializer_class = ResponseSerializer
    filterset_class = ResponseFilter
    pagination_class = LargePagination
    permission_classes = [IsAuthenticated, ManagesForceRecords]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        if self.action == "partial_update":
            return selectors.response_to_change(user=self.request.user)
        return selectors.response_list(user=self.request.user)

    def filter_queryset(self, queryset):
        # A PATCH names its response by id: the list's filters would only build their form for nothing.
        # (Visibility is get_queryset's, so another force's response is still a 404.)
        if self.action == "partial_update":
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request):
        # Values rather than objects: clients read an assessment's responses whole (1,209 of them in
        # the largest edition benchmarked). Same filters, order, pagination and output as objects.
        rows = self.filter_queryset(selectors.response_list_rows(user=request.user))
        page = self.paginate_queryset(rows)
        page = list(rows) if page is None else page
        evidence = selectors.response_evidence_ids(response_ids=[row["id"] for row in page])
        data = self.get_serializer().rows_to_representation(page, evidence)
        return self.get_paginated_response(data) if self.paginator is not None else ApiResponse(data)

    @extend_schema(
        summary="One response, with its ETag",
        parameters=[_etag_header(200)],
        responses={200: ResponseSerializer, 404: NOT_FOUND},
    )
    def retrieve(self, request, pk=None):
        response = self.get_object()
        return ApiResponse(self.get_serializer(response).data, headers={"ETag": etag_of(response.version)})

    @extend_schema(
        summary="Change a response's judgement, narrative, evidence or owner",
        description=(
            "Send If-Match with the ETag from your last read. Fields left out are unchanged; `evidence` "
            "replaces the linked list and takes ids of your force's evidence only; `owner` takes the id of "
            "a person of the assessment's force (anyone else is refused, 400) or null. On success the "
            "version rises by one (not for `owner` alone) and the new ETag is returned. Read-only or unknown "
            "fields are refused (400)."
        ),
        parameters=[IF_MATCH, _etag_header(200, 412)],
        request=ResponseUpdateSerializer,
        responses={
            200: ResponseSerializer,
            400: FIELD_ERRORS,
            403: FORBIDDEN,
            404: NOT_FOUND,
            409: CONFLICT,
            412: OpenApiResponse(
                PreconditionFailedSerializer,
                description="Someone saved a newer version first; `current` is the stored response.",
            ),
            428: OpenApiResponse(DETAIL, description="If-Match is missing (or `*`)."),
        },
    )
    def partial_update(self, request, pk=None):
        # The response is found among those the user may see and locked in one statement, and the save
        # is made in the same transaction: nothing read twice. Then, in the order a client learns of
        # them: 404, 403 (before If-Match or the body are looked at), 428/400, 400, 412.
        if str(pk).isdigit():
            with transaction.atomic():
                current = services.response_lock_visible(user=request.user, pk=int(pk))
                if current is not None:
                    self.check_object_permissions(request, current)
                    return self._update(request, current)
        self.get_object()  # not one the user may see: read outside the transaction, recorded as denied
        raise Http404  # get_object has answered 404 already; never reached

    def _update(self, request, response):
        versions = _versions_in_if_match(request)
        data = validated(ResponseUpdateSerializer, request)
        owner = data.pop("owner", services.UNCHANGED)
        answer = ResponseAnswer.from_data(data)
        # The service compares under a row lock; the version read here only picks which tag to compare
        # when If-Match lists several. No strong tag at all compares 0, which no version equals.
        expected = response.version if response.version in versions else max(versions, default=0)
        try:
            saved = services.response_update_locked(
                user=request.user, current=response, expected_version=expected, answer=answer, owner=owner
            )
        except services.StaleVersion as stale:
            # The stored response as read under lock, with all the answer shows (its evidence ids too).
            current = stale.current
            body = {
                "detail": f"The response has changed since you read it: it is now at version {current.version}",
                "current": self.get_serializer(current).data,
            }
            return ApiResponse(
                body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag_of(current.version)}
            )
        # The saved object holds what was written (its requirement and judgement were read under the
        # lock, its evidence ids are those the service linked): nothing is read again. (The prefetch
        # reads the ids only if a save did not leave them.)
        selectors.response_prefetch_evidence(responses=[saved])
        return ApiResponse(self.get_serializer(saved).data, headers={"ETag": etag_of(saved.version)})
