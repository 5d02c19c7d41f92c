from capacity.api import views
from core.api.routers import Router

router = Router()
router.register("capacity", views.CapacityCommitmentViewSet, basename="api-capacity")

urlpatterns = router.urls
