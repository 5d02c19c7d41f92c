from core.roles import FORCE_ROLES, NATIONAL_ROLES, Role, has_role


def navigation(request):
    """`dashboard_links` for base.html: which dashboards, capacity pages and the admin the user's roles
    open (no query: the roles are cached on the user for the request). The admin shows only to
    national administrators who may sign in to it (staff)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"dashboard_links": {}}
    force, national = has_role(user, *FORCE_ROLES), has_role(user, *NATIONAL_ROLES)
    return {
        "dashboard_links": {
            "force": force,
            # What is assigned to the person in their forces (assessments' "My tasks").
            "my_tasks": force,
            "national": national,
            "capacity": force or national,
            "admin": user.is_staff and has_role(user, Role.NATIONAL_ADMIN),
            # Administrators manage people at /people/.
            "people": has_role(user, Role.NATIONAL_ADMIN, Role.FORCE_ADMIN),
            "security": has_role(user, Role.NATIONAL_ADMIN),
        }
    }
