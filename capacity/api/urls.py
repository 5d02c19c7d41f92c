from rest_framework.routers import SimpleRouter

from capacity.api import views

router = SimpleRouter()
router.register("capacity", views.CapacityCommitmentViewSet, basename="api-capacity")

urlpatterns = router.urls
