"""The assessments endpoint: self-assessments with their progress, the start of a draft, one action
per transition of the workflow (submit, return, respond, sign off, publish, revise), each calling its
service, and the assessment's history (its transitions and audit trail) and published snapshot."""

from __future__ import annotations

from django.db.models import F
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from assessments import selectors, services, workflow
from assessments.api.filters import AssessmentFilter
from assessments.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AuditEntrySerializer,
    HistoryPageSerializer,
    ReturnInputSerializer,
    SnapshotSerializer,
    StatementInputSerializer,
    SubmitInputSerializer,
    TransitionInputSerializer,
    TransitionSerializer,
)
from assessments.api.views.common import (
    DETAIL,
    NOT_FOUND,
    PAGE_PARAMETERS,
    created,
    force_for,
    validated,
    workflow_responses,
    write_responses,
)
from assessments.api.views.workbook import WorkbookActions
from core.api.pagination import StandardPagination

# Assessments ----------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Assessments you may see, with progress"),
    retrieve=extend_schema(summary="One assessment", responses={200: AssessmentSerializer, 404: NOT_FOUND}),
)
class AssessmentViewSet(WorkbookActions, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
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
            .select_related("chief_statement_by__profile", "signed_off_by__profile", "published_by__profile")
            .annotate(snapshot_sha256=F("snapshot__sha256"))
        )

    @extend_schema(
        summary="Start a draft assessment",
        request=AssessmentCreateSerializer,
        responses=write_responses(201, AssessmentSerializer),
    )
    def create(self, request):
        data = validated(AssessmentCreateSerializer, request)
        assessment = services.assessment_create(user=request.user, force=force_for(request.user, data), **data)
        return created(self, assessment, "api-assessment-detail")

    # Workflow ---------------------------------------------------------------------------------------
    # One endpoint per transition of workflow.TRANSITIONS, each calling its service. The order of the
    # answers is fixed: 404 (not visible), 403 (role or force), 409 (state), then 400 (the body).

    def _transition(self, request, pk, action: str, input_serializer) -> ApiResponse:
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        # The service checks again under the row lock; checking here first means a refusal does not
        # depend on what the body says.
        workflow.require_transition(request.user, assessment, action)
        data = validated(input_serializer, request)
        moved = workflow.ACTIONS[action](user=request.user, assessment=assessment, **data)
        if moved.pk != assessment.pk:  # revise answers with the new draft
            return created(self, moved, "api-assessment-detail")
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=moved.pk)).data)

    @extend_schema(
        summary="Submit the draft to the chief constable (PCC office staff)",
        description="Every requirement must be answered (400 otherwise). `share_with_hmic` lets HMIC read it now.",
        request=SubmitInputSerializer,
        responses=workflow_responses(),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def submit(self, request, pk=None):
        return self._transition(request, pk, "submit", SubmitInputSerializer)

    @extend_schema(
        summary="Return a submitted or responded assessment to draft (the PCC or the chief constable)",
        description="`note`, the reason, is required.",
        request=ReturnInputSerializer,
        responses=workflow_responses(),
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return", filterset_class=None)
    def return_(self, request, pk=None):
        return self._transition(request, pk, "return", ReturnInputSerializer)

    @extend_schema(
        summary="Give the chief constable's response",
        description="`statement`, the chief constable's statement on the assessment as a whole, is required.",
        request=StatementInputSerializer,
        responses=workflow_responses(),
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
        responses=workflow_responses(),
    )
    @action(detail=True, methods=["post"], url_path="sign-off", filterset_class=None)
    def sign_off(self, request, pk=None):
        return self._transition(request, pk, "sign_off", StatementInputSerializer)

    @extend_schema(
        summary="Publish to HMIC (the PCC)",
        description="Freezes the assessment as a snapshot with its SHA-256 (see `snapshot/`).",
        request=TransitionInputSerializer,
        responses=workflow_responses(),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def publish(self, request, pk=None):
        return self._transition(request, pk, "publish", TransitionInputSerializer)

    @extend_schema(
        summary="Start a revision of a published assessment (PCC office staff)",
        description="Answers 201 with the new draft; the published version stays as it is.",
        request=TransitionInputSerializer,
        responses=workflow_responses(201),
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
