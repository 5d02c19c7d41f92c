from core.api.routers import Router
from reports.api import views

router = Router()
router.register("reports", views.ReportJobViewSet, basename="api-report")

urlpatterns = router.urls
