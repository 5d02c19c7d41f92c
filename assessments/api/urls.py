from django.urls import path

from assessments.api import views
from assessments.api.views.tasks import MyTasksAPIView
from core.api.routers import Router

# core.api.routers.Router, as in the other apps: a SimpleRouter (several routers share /api/v1/ and each
# DefaultRouter would add its own root view at the same URL) whose ids take digits only.
router = Router()
router.register("assessments", views.AssessmentViewSet, basename="api-assessment")
router.register("responses", views.ResponseViewSet, basename="api-response")
router.register("evidence", views.EvidenceViewSet, basename="api-evidence")
router.register("departures", views.DepartureViewSet, basename="api-departure")
router.register("actions", views.ActionViewSet, basename="api-action")
router.register("challenges", views.ChallengeViewSet, basename="api-challenge")

urlpatterns = [
    path("my-tasks/", MyTasksAPIView.as_view(), name="api-my-tasks"),
    *router.urls,
]
