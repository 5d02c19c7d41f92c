from capabilities.api import views
from core.api.routers import Router

router = Router()
router.register("editions", views.EditionViewSet, basename="api-edition")
router.register("areas", views.AreaViewSet, basename="api-area")
router.register("requirements", views.RequirementViewSet, basename="api-requirement")
router.register("capacity-capabilities", views.CapacityCapabilityViewSet, basename="api-capacity-capability")

urlpatterns = router.urls
