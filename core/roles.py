"""Every role of the service, declared in one place.

A role is a Django group. Which force a user acts for is a `forces.Membership`; roles that work
across forces (HMIC inspector, national administrator) need no membership.
"""

from __future__ import annotations

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group


class Role(StrEnum):
    PCC_STAFF = "PCC office staff"
    CHIEF_CONSTABLE = "Chief constable"
    PCC = "Police and crime commissioner"
    INSPECTOR = "HMIC inspector"
    NATIONAL_ADMIN = "National administrator"
    FORCE_ADMIN = "Force administrator"

    @property
    def slug(self) -> str:
        return ROLE_SLUGS[self]


ROLE_SLUGS = {
    Role.PCC_STAFF: "staff",
    Role.CHIEF_CONSTABLE: "chief",
    Role.PCC: "pcc",
    Role.INSPECTOR: "inspector",
    Role.NATIONAL_ADMIN: "admin",
    Role.FORCE_ADMIN: "force-admin",
}

#: Roles by their slug (the API's and the demo accounts' name for them).
ROLES_BY_SLUG = {slug: role for role, slug in ROLE_SLUGS.items()}

#: Roles whose work is tied to one force (they need a membership to see anything).
FORCE_ROLES = frozenset({Role.PCC_STAFF, Role.CHIEF_CONSTABLE, Role.PCC, Role.FORCE_ADMIN})
#: Roles that read across all forces.
NATIONAL_ROLES = frozenset({Role.INSPECTOR, Role.NATIONAL_ADMIN})

User = AbstractBaseUser | AnonymousUser


def ensure_groups() -> dict[Role, Group]:
    """Create the role groups if missing (idempotent) and return them by role."""
    return {role: Group.objects.get_or_create(name=role.value)[0] for role in Role}


def roles_of(user: User) -> frozenset[Role]:
    """The roles a user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_spr_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user, group_names) -> frozenset[Role]:
    """Cache on the user, for the request, the roles its group names give (as `roles_of` reads them)."""
    names = set(group_names)
    roles = frozenset(role for role in Role if role.value in names)
    if user.is_superuser:
        roles = roles | {Role.NATIONAL_ADMIN}
    user._spr_roles = roles
    return roles


def has_role(user: User, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def sees_all_forces(user: User) -> bool:
    """HMIC inspectors and national administrators read across every force."""
    return has_role(user, *NATIONAL_ROLES)


def reads_only_shared(user: User) -> bool:
    """HMIC inspectors read across forces, but only the work a force has shared or published (a
    national administrator who is also an inspector reads everything)."""
    return has_role(user, Role.INSPECTOR) and not has_role(user, Role.NATIONAL_ADMIN)


def grant(user, role: Role) -> None:
    """Give a user a role (used by seed_demo and tests)."""
    user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    if hasattr(user, "_spr_roles"):
        del user._spr_roles
