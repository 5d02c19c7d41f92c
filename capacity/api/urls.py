from capacity.api import views
from core.api.routers import Router

router = Router()
router.register("capacity", views.CapacityCommitmentViewSet, basename="api-capacity")
router.register("expected-contributions", views.ExpectedContributionViewSet, basename="api-expected-contribution")

urlpatterns = router.urls
