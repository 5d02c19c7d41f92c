"""Who may manage whom. A national administrator manages everyone; a force administrator manages
the people of the forces they are a member of, and may grant only force roles. Nobody changes their
own role, force or access (so nobody raises themselves), and the last active national administrator
cannot be removed."""

from __future__ import annotations

from core.roles import FORCE_ROLES, Role, has_role
from forces.scoping import force_ids_for


def is_national_admin(user) -> bool:
    return has_role(user, Role.NATIONAL_ADMIN)


def can_manage_people(user) -> bool:
    """A national administrator, or a force administrator who is a member of a force."""
    if is_national_admin(user):
        return True
    return has_role(user, Role.FORCE_ADMIN) and bool(force_ids_for(user))


def managed_force_ids(user) -> list[int] | None:
    """The forces whose people the user manages: None for all (national administrators)."""
    if is_national_admin(user):
        return None
    if has_role(user, Role.FORCE_ADMIN):
        return force_ids_for(user)
    return []


def grantable_roles(user) -> list[Role]:
    """The roles the user may give: every role for a national administrator, the force roles
    (force administrator included) for a force administrator, none for anyone else."""
    if is_national_admin(user):
        return list(Role)
    if can_manage_people(user):
        return [role for role in Role if role in FORCE_ROLES]
    return []


def may_grant(user, role: Role, force_id: int | None) -> bool:
    """The user may give `role` in the force (None for a national role)."""
    if role not in grantable_roles(user):
        return False
    managed = managed_force_ids(user)
    if role in FORCE_ROLES:
        return force_id is not None and (managed is None or force_id in managed)
    return managed is None


def role_of(user) -> Role | None:
    """A person's one role, as the people pages show it (the highest, should they hold several)."""
    # From the prefetched groups where a list loaded them (one query for the whole list).
    held = {role for role in Role if role.value in {group.name for group in user.groups.all()}}
    if user.is_superuser:
        held.add(Role.NATIONAL_ADMIN)
    for role in (Role.NATIONAL_ADMIN, Role.INSPECTOR, Role.FORCE_ADMIN, Role.PCC, Role.CHIEF_CONSTABLE, Role.PCC_STAFF):
        if role in held:
            return role
    return None
