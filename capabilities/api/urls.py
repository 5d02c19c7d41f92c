from rest_framework.routers import SimpleRouter

from capabilities.api import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="api-area")
router.register("requirements", views.RequirementViewSet, basename="api-requirement")
router.register("capacity-capabilities", views.CapacityCapabilityViewSet, basename="api-capacity-capability")
router.register("capacity", views.CapacityCommitmentViewSet, basename="api-capacity")

urlpatterns = router.urls
