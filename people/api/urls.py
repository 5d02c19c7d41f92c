from core.api.routers import Router
from people.api import views

router = Router()
router.register("people", views.PersonViewSet, basename="api-person")
router.register("invitations", views.InvitationViewSet, basename="api-invitation")
router.register("sso-mappings", views.SsoMappingViewSet, basename="api-sso-mapping")

urlpatterns = router.urls
