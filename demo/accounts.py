"""Demo data for a new user: accounts for three forces and HMIC, loaded by `manage.py seed_demo`.

Everything here is idempotent: a second run finds what the first made and changes nothing, except
that demo passwords are reset to the configured one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from core.roles import Role, ensure_groups, grant
from forces.models import Force, Membership

DEMO_FORCES = ("west-midlands", "kent", "dyfed-powys")
FORCE_ACCOUNTS = (
    (Role.PCC_STAFF, "staff", "PCC office"),
    (Role.CHIEF_CONSTABLE, "chief", "Chief constable"),
    (Role.PCC, "pcc", "Commissioner"),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: Role
    force: str | None


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(f"{prefix}-{code}", role, code) for code in DEMO_FORCES for role, prefix, _ in FORCE_ACCOUNTS
    ]
    accounts.append(DemoAccount("inspector", Role.INSPECTOR, None))
    accounts.append(DemoAccount("admin", Role.NATIONAL_ADMIN, None))
    return accounts


@transaction.atomic
def demo_accounts_create(*, password: str | None = None) -> list[DemoAccount]:
    """Create (or refresh) the demo accounts documented in the README."""
    password = password or settings.SPR_DEMO_PASSWORD
    ensure_groups()
    forces = {force.code: force for force in Force.objects.filter(code__in=DEMO_FORCES)}
    missing = set(DEMO_FORCES) - set(forces)
    if missing:
        raise RuntimeError(f"Load the forces first (manage.py load_forces): missing {', '.join(sorted(missing))}")
    User = get_user_model()
    accounts = demo_accounts()
    for account in accounts:
        user, _ = User.objects.get_or_create(username=account.username)
        if account.force:
            force = forces[account.force]
            label = {role: label for role, _, label in FORCE_ACCOUNTS}[account.role]
            user.first_name, user.last_name = label, force.name
            Membership.objects.get_or_create(user=user, force=force)
        elif account.role is Role.INSPECTOR:
            user.first_name, user.last_name = "HMIC", "Inspector"
        else:
            user.first_name, user.last_name = "National", "Administrator"
            user.is_staff = user.is_superuser = True
        user.email = f"{account.username}@example.police.uk"
        user.set_password(password)
        user.save()
        grant(user, account.role)
    return accounts
