"""Who may write a force's records. Reading is decided by `forces.scoping`."""

from __future__ import annotations

from core.roles import Role, has_role
from forces.scoping import acts_for


def can_manage_force_records(user, force_id: int) -> bool:
    """PCC office staff of the force, or a national administrator."""
    if has_role(user, Role.NATIONAL_ADMIN):
        return True
    return has_role(user, Role.PCC_STAFF) and acts_for(user, force_id)
