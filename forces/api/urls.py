from core.api.routers import Router
from forces.api import views

router = Router()
router.register("forces", views.ForceViewSet, basename="api-force")
router.register("regions", views.RegionViewSet, basename="api-region")

urlpatterns = router.urls
