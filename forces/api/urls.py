from rest_framework.routers import SimpleRouter

from forces.api import views

router = SimpleRouter()
router.register("forces", views.ForceViewSet, basename="api-force")
router.register("regions", views.RegionViewSet, basename="api-region")

urlpatterns = router.urls
