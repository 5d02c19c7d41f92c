from core.api.routers import Router
from core.api.tokens import ApiTokenViewSet

router = Router()
router.register("tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = router.urls
