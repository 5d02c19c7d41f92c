from core.api.routers import Router
from threats.api import views

# A SimpleRouter (core.api.routers.Router), not DefaultRouter: three apps mount routers under /api/v1/
# and each DefaultRouter would add its own root view at the same URL; the schema at /api/v1/docs/ is
# the index instead.
router = Router()
router.register("threats", views.ThreatViewSet, basename="api-threat")

urlpatterns = router.urls
