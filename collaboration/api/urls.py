from collaboration.api import views
from core.api.routers import Router

router = Router()
router.register("agreements", views.AgreementViewSet, basename="api-agreement")

urlpatterns = router.urls
