from django.conf import settings

from core.roles import roles_of


def service(request):
    """Service name, protective marking and the user's roles for every page (base.html uses them)."""
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SPR_SERVICE_NAME,
        "protective_marking": settings.SPR_PROTECTIVE_MARKING,
        "user_roles": sorted(role.value for role in roles_of(user)) if user is not None else [],
        # The GOV.UK timeout warning's timings (static/js/timeout-warning.js); the server enforces them.
        "session_idle_seconds": settings.SPR_SESSION_IDLE_MINUTES * 60,
        "session_warning_seconds": settings.SPR_SESSION_WARNING_SECONDS,
    }
