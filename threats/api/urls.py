from rest_framework.routers import SimpleRouter

from threats.api import views

# SimpleRouter, not DefaultRouter: three apps mount routers under /api/v1/ and each DefaultRouter
# would add its own root view at the same URL; the schema at /api/v1/docs/ is the index instead.
router = SimpleRouter()
router.register("threats", views.ThreatViewSet, basename="api-threat")

urlpatterns = router.urls
