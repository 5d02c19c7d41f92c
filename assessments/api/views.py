"""The assessment API: the twin of the assessment pages over the same selectors and services.

Every queryset starts from `Model.objects.visible_to(user)` (through `assessments.selectors`), so
another force's object is a 404 and never appears in a list. Each write method parses its input with
an input serializer and calls one service; the service checks permission (403), validates (400) and
writes in one transaction, so a refused request changes nothing.

Optimistic locking of responses: a response's ETag is its version as a strong entity tag, `"<version>"`
(e.g. `"3"`). GET /responses/{id}/ sends it; PATCH must send it back in If-Match. No If-Match is a 428;
an If-Match naming no current version (an older one, or a weak tag) is a 412 whose body carries the
stored response, so the client can merge and retry with the new ETag.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import FormParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response as ApiResponse
from rest_framework.reverse import reverse

from assessments import selectors, services, workflow
from assessments.api.filters import (
    ActionFilter,
    AssessmentFilter,
    ChallengeFilter,
    DepartureFilter,
    EvidenceFilter,
    ResponseFilter,
)
from assessments.api.parsers import EvidenceMultiPartParser
from assessments.api.serializers import (
    ActionInputSerializer,
    ActionSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AuditEntrySerializer,
    ChallengeCloseSerializer,
    ChallengeCreateSerializer,
    ChallengeReplyInputSerializer,
    ChallengeReplySerializer,
    ChallengeSerializer,
    DepartureInputSerializer,
    DepartureSerializer,
    EvidenceCreateSerializer,
    EvidenceSerializer,
    EvidenceUpdateSerializer,
    HistoryPageSerializer,
    PreconditionFailedSerializer,
    ResponseSerializer,
    ResponseUpdateSerializer,
    ReturnInputSerializer,
    SnapshotSerializer,
    StatementInputSerializer,
    SubmitInputSerializer,
    TransitionInputSerializer,
    TransitionSerializer,
)
from assessments.downloads import evidence_file_response
from assessments.permissions import can_manage_force_records
from core.api.pagination import LargePagination, StandardPagination
from core.api.parsers import SafeJSONParser
from core.querysets import force_ids_for
from forces.models import Force

# Documentation of the answers every endpoint may give --------------------------------------------

FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: `{field: [message, ...]}`")
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FORBIDDEN = OpenApiResponse(DETAIL, description="Your role may read this force's records but not change them")
NOT_FOUND = OpenApiResponse(DETAIL, description="No such object, or it belongs to a force you cannot see")
CONFLICT = OpenApiResponse(DETAIL, description="The assessment is no longer a draft, so its records cannot change")
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


def _write_responses(ok_status: int, serializer) -> dict:
    return {ok_status: serializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


WORKFLOW_FORBIDDEN = OpenApiResponse(DETAIL, description="Your role (or force) cannot take this action")
WORKFLOW_CONFLICT = OpenApiResponse(
    {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "details": {"type": "array", "items": {"type": "string"}}},
        "required": ["detail"],
    },
    description=(
        "The assessment's state does not allow this now. When sign-off is refused for open challenges, "
        "`details` names each of them."
    ),
)
PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the paginated result set."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Number of results to return per page (at most 500)."),
]


def _workflow_responses(ok_status: int = 200, serializer=AssessmentSerializer) -> dict:
    return {
        ok_status: serializer,
        400: FIELD_ERRORS,
        403: WORKFLOW_FORBIDDEN,
        404: NOT_FOUND,
        409: WORKFLOW_CONFLICT,
    }


# Building blocks ------------------------------------------------------------------------------------


class ManagesForceRecords(BasePermission):
    """Reading follows `visible_to`; changing an object needs `can_manage_force_records` for its force.

    Services check again (with the workflow state); this answers 403 before the request body or its
    preconditions are looked at, so a chief constable learns "not allowed" rather than "send If-Match".
    """

    message = "You cannot change this force's records"

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        force_id = obj.force_id if hasattr(obj, "force_id") else obj.assessment.force_id
        return can_manage_force_records(request.user, force_id)


class PreconditionRequired(APIException):
    status_code = 428
    default_detail = 'Send If-Match with the ETag of the response you read (e.g. If-Match: "3")'
    default_code = "precondition_required"


class FileRenderer(BaseRenderer):
    """Lets a client that asks for the file's own type (or anything) reach the download; errors are
    still JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data) if not isinstance(data, bytes) else data


def _validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _force_for(user, data: dict) -> Force:
    """The force named in the input, or the user's only force when they act for just one."""
    force = data.pop("force", None)
    if force is not None:
        return force
    ids = force_ids_for(user)
    if len(ids) != 1:
        raise DjangoValidationError({"force": "Enter the force's code"})
    return Force.objects.get(pk=ids[0])


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


# Assessments ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Assessments you may see, with progress"),
    retrieve=extend_schema(summary="One assessment", responses={200: AssessmentSerializer, 404: NOT_FOUND}),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Self-assessments: one force, one SPR edition, one financial year. `progress` counts responses
    completed (judged and explained) out of all."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        # The workflow fields' people and the snapshot's hash come in the list's one query (the
        # snapshot's payload is not read). One assessment (detail, or the answer to a create or a
        # transition) counts its responses in subqueries, not through the list's GROUP BY.
        select = selectors.assessment_list if self.action == "list" else selectors.assessments_with_progress
        return (
            select(user=self.request.user)
            .select_related("chief_statement_by", "signed_off_by", "published_by")
            .annotate(snapshot_sha256=F("snapshot__sha256"))
        )

    @extend_schema(
        summary="Start a draft assessment",
        request=AssessmentCreateSerializer,
        responses=_write_responses(201, AssessmentSerializer),
    )
    def create(self, request):
        data = _validated(AssessmentCreateSerializer, request)
        assessment = services.assessment_create(user=request.user, force=_force_for(request.user, data), **data)
        return _created(self, assessment, "api-assessment-detail")

    # Workflow ---------------------------------------------------------------------------------------
    # One endpoint per transition of workflow.TRANSITIONS, each calling its service. The order of the
    # answers is fixed: 404 (not visible), 403 (role or force), 409 (state), then 400 (the body).

    def _transition(self, request, pk, action: str, input_serializer) -> ApiResponse:
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        # The service checks again under the row lock; checking here first means a refusal does not
        # depend on what the body says.
        workflow.require_transition(request.user, assessment, action)
        data = _validated(input_serializer, request)
        moved = workflow.ACTIONS[action](user=request.user, assessment=assessment, **data)
        if moved.pk != assessment.pk:  # revise answers with the new draft
            return _created(self, moved, "api-assessment-detail")
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=moved.pk)).data)

    @extend_schema(
        summary="Submit the draft to the chief constable (PCC office staff)",
        description="Every requirement must be answered (400 otherwise). `share_with_hmic` lets HMIC read it now.",
        request=SubmitInputSerializer,
        responses=_workflow_responses(),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._transition(request, pk, "submit", SubmitInputSerializer)

    @extend_schema(
        summary="Return a submitted or responded assessment to draft (the PCC or the chief constable)",
        description="`note`, the reason, is required.",
        request=ReturnInputSerializer,
        responses=_workflow_responses(),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_(self, request, pk=None):
        return self._transition(request, pk, "return", ReturnInputSerializer)

    @extend_schema(
        summary="Give the chief constable's response",
        description="`statement`, the chief constable's statement on the assessment as a whole, is required.",
        request=StatementInputSerializer,
        responses=_workflow_responses(),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def respond(self, request, pk=None):
        return self._transition(request, pk, "respond", StatementInputSerializer)

    @extend_schema(
        summary="Sign off (the PCC)",
        description=(
            "`statement`, the PCC's annual assurance statement, is required. Refused (409) while any "
            "challenge is open; `details` then names them."
        ),
        request=StatementInputSerializer,
        responses=_workflow_responses(),
    )
    @action(detail=True, methods=["post"], url_path="sign-off", filterset_class=None)
    def sign_off(self, request, pk=None):
        return self._transition(request, pk, "sign_off", StatementInputSerializer)

    @extend_schema(
        summary="Publish to HMIC (the PCC)",
        description="Freezes the assessment as a snapshot with its SHA-256 (see `snapshot/`).",
        request=TransitionInputSerializer,
        responses=_workflow_responses(),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        return self._transition(request, pk, "publish", TransitionInputSerializer)

    @extend_schema(
        summary="Start a revision of a published assessment (PCC office staff)",
        description="Answers 201 with the new draft; the published version stays as it is.",
        request=TransitionInputSerializer,
        responses=_workflow_responses(201),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def revise(self, request, pk=None):
        return self._transition(request, pk, "revise", TransitionInputSerializer)

    @extend_schema(
        summary="The assessment's trail: its transitions and the audit entries of it and its records",
        description=(
            "`transitions` lists every move through the workflow, newest first. `results` is one page of "
            "the hash-chained audit trail of the assessment and its responses, departures, actions, "
            "challenges, replies and transitions, newest first; `changes` is `{field: [before, after]}`."
        ),
        parameters=PAGE_PARAMETERS,
        responses={200: HistoryPageSerializer, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def history(self, request, pk=None):
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        paginator = StandardPagination()
        page = paginator.paginate_queryset(selectors.audit_trail_of(assessment=assessment), request, view=self)
        transitions = selectors.transitions_of(assessment=assessment)
        return ApiResponse(
            {
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "transitions": TransitionSerializer(transitions, many=True).data,
                "results": AuditEntrySerializer(page, many=True).data,
            }
        )

    @extend_schema(
        summary="The frozen content of a published assessment, with its SHA-256",
        responses={200: SnapshotSerializer, 404: OpenApiResponse(DETAIL, description="Not published, or not yours")},
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def snapshot(self, request, pk=None):
        return ApiResponse(SnapshotSerializer(selectors.snapshot_get(user=request.user, assessment_pk=pk)).data)


def _created(view, obj, view_name: str) -> ApiResponse:
    """201 with the object as a list shows it (read back through the same selector) and its Location."""
    shown = view.get_queryset().get(pk=obj.pk)
    location = reverse(view_name, kwargs={"pk": obj.pk}, request=view.request)
    return ApiResponse(view.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers={"Location": location})


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
        summary="Change a response's judgement, narrative or evidence",
        description=(
            "Send If-Match with the ETag from your last read. Fields left out are unchanged; `evidence` "
            "replaces the linked list and takes ids of your force's evidence only. On success the version "
            "rises by one and the new ETag is returned. Read-only or unknown fields are refused (400)."
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
        response = self.get_object()
        versions = _versions_in_if_match(request)
        data = _validated(ResponseUpdateSerializer, request)
        # The service compares under a row lock; the version read here only picks which tag to compare
        # when If-Match lists several. No strong tag at all compares 0, which no version equals.
        expected = response.version if response.version in versions else max(versions, default=0)
        try:
            saved = services.response_update(
                user=request.user,
                response=response,
                expected_version=expected,
                judgement=data.get("judgement"),
                narrative=data.get("narrative"),
                evidence_ids=data.get("evidence"),
            )
        except services.StaleVersion as stale:
            current = selectors.response_list(user=request.user).get(pk=stale.current.pk)
            body = {
                "detail": f"The response has changed since you read it: it is now at version {current.version}",
                "current": self.get_serializer(current).data,
            }
            return ApiResponse(
                body, status=status.HTTP_412_PRECONDITION_FAILED, headers={"ETag": etag_of(current.version)}
            )
        # The saved object holds what was written (its requirement and judgement were read under the
        # lock); only its evidence ids are read, rather than the whole response again.
        selectors.response_prefetch_evidence(responses=[saved])
        return ApiResponse(self.get_serializer(saved).data, headers={"ETag": etag_of(saved.version)})


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
    parser_classes = [SafeJSONParser, FormParser, EvidenceMultiPartParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.evidence_list(user=self.request.user)

    @extend_schema(
        summary="Add evidence: a file (multipart, `upload`), a link (`url`) or a reference",
        description=(
            "A file's type is read from its content, never its name; names with folder parts or control "
            "characters are refused. `force` may be left out by a user who acts for one force."
        ),
        request={"multipart/form-data": EvidenceCreateSerializer, "application/json": EvidenceCreateSerializer},
        responses=_write_responses(201, EvidenceSerializer),
    )
    def create(self, request):
        data = _validated(EvidenceCreateSerializer, request)
        item = services.evidence_create(user=request.user, force=_force_for(request.user, data), **data)
        return _created(self, item, "api-evidence-detail")

    @extend_schema(
        summary="Change an item's description (never its file, kind or force)",
        request=EvidenceUpdateSerializer,
        responses=_write_responses(200, EvidenceSerializer),
    )
    def partial_update(self, request, pk=None):
        item = self.get_object()
        data = _validated(EvidenceUpdateSerializer, request, partial=True)
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
        data = _validated(self.input_serializer_class, request)
        record = self.save(user=request.user, **data)
        return _created(self, record, self.detail_view_name)

    def partial_update(self, request, pk=None):
        record = self.get_object()
        data = _validated(self.input_serializer_class, request, partial=True)
        self.save(user=request.user, assessment=record.assessment, record=record, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


@extend_schema_view(
    list=extend_schema(summary="Departures from requirements (SPR §1.9) you may see"),
    retrieve=extend_schema(summary="One departure", responses={200: DepartureSerializer, 404: NOT_FOUND}),
    create=extend_schema(
        summary="Record a departure",
        request=DepartureInputSerializer,
        responses=_write_responses(201, DepartureSerializer),
    ),
    partial_update=extend_schema(
        summary="Change a departure",
        request=DepartureInputSerializer,
        responses=_write_responses(200, DepartureSerializer),
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
        summary="Record an action", request=ActionInputSerializer, responses=_write_responses(201, ActionSerializer)
    ),
    partial_update=extend_schema(
        summary="Change an action", request=ActionInputSerializer, responses=_write_responses(200, ActionSerializer)
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


# Challenges -----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="The PCC's challenges you may see, with their replies"),
    retrieve=extend_schema(
        summary="One challenge and its thread", responses={200: ChallengeSerializer, 404: NOT_FOUND}
    ),
)
class ChallengeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The PCC's challenges to the chief constable while an assessment is submitted or responded: on one
    response or the whole assessment. Sign-off is refused while any is open.

    The services decide who may (403) and when (409): the PCC or their office raise and close; the
    chief constable replies, and the PCC's side may follow up.
    """

    serializer_class = ChallengeSerializer
    filterset_class = ChallengeFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return selectors.challenge_list(user=self.request.user)

    @extend_schema(
        summary="Raise a challenge (the PCC or their office)",
        request=ChallengeCreateSerializer,
        responses=_workflow_responses(201, ChallengeSerializer),
    )
    def create(self, request):
        data = _validated(ChallengeCreateSerializer, request)
        challenge = workflow.challenge_raise(user=request.user, **data)
        return _created(self, challenge, "api-challenge-detail")

    @extend_schema(
        summary="Reply to an open challenge (the chief constable, or the PCC's side following up)",
        request=ChallengeReplyInputSerializer,
        responses=_workflow_responses(201, ChallengeReplySerializer),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def replies(self, request, pk=None):
        challenge = self.get_object()
        data = _validated(ChallengeReplyInputSerializer, request)
        reply = workflow.challenge_reply(user=request.user, challenge=challenge, **data)
        return ApiResponse(ChallengeReplySerializer(reply).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Close a challenge (the PCC or their office)",
        request=ChallengeCloseSerializer,
        responses=_workflow_responses(200, ChallengeSerializer),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        challenge = self.get_object()
        data = _validated(ChallengeCloseSerializer, request)
        workflow.challenge_close(user=request.user, challenge=challenge, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=challenge.pk)).data)
