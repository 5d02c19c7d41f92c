from core.roles import FORCE_ROLES, NATIONAL_ROLES, Role, has_role


def navigation(request):
    """`dashboard_links` for base.html: which dashboards the user's roles open (no query: the roles
    are cached on the user for the request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"dashboard_links": {}}
    return {
        "dashboard_links": {
            "force": has_role(user, *FORCE_ROLES),
            "national": has_role(user, *NATIONAL_ROLES),
            # Administrators manage people at /people/.
            "people": has_role(user, Role.NATIONAL_ADMIN, Role.FORCE_ADMIN),
            "security": has_role(user, Role.NATIONAL_ADMIN),
        }
    }
