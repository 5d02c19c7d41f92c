from rest_framework.routers import SimpleRouter

from assessments.api import views

# SimpleRouter, as in the other apps: several routers share /api/v1/ and each DefaultRouter would add
# its own root view at the same URL.
router = SimpleRouter()
router.register("assessments", views.AssessmentViewSet, basename="api-assessment")
router.register("responses", views.ResponseViewSet, basename="api-response")
router.register("evidence", views.EvidenceViewSet, basename="api-evidence")
router.register("departures", views.DepartureViewSet, basename="api-departure")
router.register("actions", views.ActionViewSet, basename="api-action")
router.register("challenges", views.ChallengeViewSet, basename="api-challenge")

urlpatterns = router.urls
