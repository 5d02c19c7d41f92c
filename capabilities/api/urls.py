from rest_framework.routers import SimpleRouter

from capabilities.api import views

router = SimpleRouter()
router.register("areas", views.AreaViewSet, basename="api-area")
router.register("requirements", views.RequirementViewSet, basename="api-requirement")

urlpatterns = router.urls
