from core.api.routers import Router
from cycle.api import views

router = Router()
router.register("deadlines", views.PeriodDeadlinesViewSet, basename="api-deadline")

urlpatterns = router.urls
