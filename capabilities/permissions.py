"""Who may change the SPR catalogue. One predicate per decision, shared by pages, the API and the
templates that decide whether to show a button."""

from core.roles import Role, has_role


def can_manage_editions(user) -> bool:
    """Upload, map and publish SPR editions: national administrators only."""
    return has_role(user, Role.NATIONAL_ADMIN)
