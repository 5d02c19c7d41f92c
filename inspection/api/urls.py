from core.api.routers import Router
from inspection.api import views

router = Router()
router.register("evidence-requests", views.EvidenceRequestViewSet, basename="api-evidence-request")
router.register("findings", views.FindingViewSet, basename="api-finding")

urlpatterns = router.urls
