"""`GET /api/v1/my-tasks/`: what is assigned to the signed-in person, with due dates; the twin of
the "My tasks" page over the same selector (`selectors.my_tasks`), soonest due first."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response as ApiResponse
from rest_framework.views import APIView

from assessments import selectors
from assessments.api.serializers.tasks import MyTaskSerializer


class MyTasksAPIView(APIView):
    """Requirements and open actions you own, evidence you added that is due for review, and
    challenges waiting for you, across your forces: soonest due first, undated last. Not paginated:
    a person's own tasks, read in a fixed number of queries."""

    permission_classes = [IsAuthenticated]

    @extend_schema(summary="What is assigned to you, with due dates", responses={200: MyTaskSerializer(many=True)})
    def get(self, request):
        return ApiResponse(MyTaskSerializer(selectors.my_tasks(user=request.user), many=True).data)
