"""Who may do what with the annual cycle: one predicate per decision, for pages, the API and templates."""

from __future__ import annotations

from core.roles import Role, has_role


def can_set_deadlines(user) -> bool:
    """National administrators only: deadlines are national, the same for every force."""
    return has_role(user, Role.NATIONAL_ADMIN)


def can_read_deadlines(user) -> bool:
    """Everyone signed in: the deadlines hold no force's data."""
    return bool(getattr(user, "is_authenticated", False))
