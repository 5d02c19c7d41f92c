"""The challenges endpoint: the PCC's challenges to the chief constable while an assessment is
submitted or responded, on one response or on the whole assessment, each with its thread of replies.
It raises a challenge, replies to one and closes one; the workflow's services decide who may and
when, and sign-off is refused while any challenge is open."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse

from assessments import selectors, workflow
from assessments.api.filters import ChallengeFilter
from assessments.api.serializers import (
    ChallengeCloseSerializer,
    ChallengeCreateSerializer,
    ChallengeReplyInputSerializer,
    ChallengeReplySerializer,
    ChallengeSerializer,
)
from assessments.api.views.common import NOT_FOUND, created, validated, workflow_responses

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
        responses=workflow_responses(201, ChallengeSerializer),
    )
    def create(self, request):
        data = validated(ChallengeCreateSerializer, request)
        challenge = workflow.challenge_raise(user=request.user, **data)
        return created(self, challenge, "api-challenge-detail")

    @extend_schema(
        summary="Reply to an open challenge (the chief constable, or the PCC's side following up)",
        request=ChallengeReplyInputSerializer,
        responses=workflow_responses(201, ChallengeReplySerializer),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def replies(self, request, pk=None):
        return self._on_thread(
            request,
            ChallengeReplyInputSerializer,
            workflow.challenge_reply,
            lambda reply: ApiResponse(ChallengeReplySerializer(reply).data, status=status.HTTP_201_CREATED),
        )

    @extend_schema(
        summary="Close a challenge (the PCC or their office)",
        request=ChallengeCloseSerializer,
        responses=workflow_responses(200, ChallengeSerializer),
    )
    @action(detail=True, methods=["post"], filterset_class=None)
    def close(self, request, pk=None):
        return self._on_thread(
            request,
            ChallengeCloseSerializer,
            workflow.challenge_close,
            lambda challenge: ApiResponse(self.get_serializer(self.get_queryset().get(pk=challenge.pk)).data),
        )

    def _on_thread(self, request, input_serializer, service, answer) -> ApiResponse:
        """Reply to or close the challenge: parse the input, call the workflow's service (which
        decides 403 and 409), and answer with what it made."""
        challenge = self.get_object()
        data = validated(input_serializer, request)
        return answer(service(user=request.user, challenge=challenge, **data))
