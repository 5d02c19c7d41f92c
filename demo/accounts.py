"""Demo data for a new user: accounts for four forces and HMIC, loaded by `manage.py seed_demo`.

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
from people.services import person_name_set

DEMO_FORCES = ("west-midlands", "kent", "dyfed-powys", "essex")
FORCE_ACCOUNTS = (
    (Role.PCC_STAFF, "staff", "PCC office"),
    (Role.CHIEF_CONSTABLE, "chief", "Chief constable"),
    (Role.PCC, "pcc", "Commissioner"),
    (Role.FORCE_ADMIN, "force-admin", "Force administrator"),
)

#: Every demo person's full name and job title (made-up people: any likeness is chance).
DEMO_PEOPLE = {
    "staff-west-midlands": ("Priya Sandhu", "Head of strategic planning, OPCC"),
    "chief-west-midlands": ("Daniel Okafor", "Chief Constable"),
    "pcc-west-midlands": ("Margaret Ellis", "Police and Crime Commissioner"),
    "force-admin-west-midlands": ("Tom Bradley", "Systems administrator"),
    "staff-kent": ("Hannah Clarke", "Policy officer, OPCC"),
    "chief-kent": ("Richard Moss", "Chief Constable"),
    "pcc-kent": ("Amelia Shah", "Police and Crime Commissioner"),
    "force-admin-kent": ("Ben Kowalski", "Business support manager"),
    "staff-dyfed-powys": ("Rhian Evans", "Governance officer, OPCC"),
    "chief-dyfed-powys": ("Gareth Lloyd", "Chief Constable"),
    "pcc-dyfed-powys": ("Siân Morgan", "Police and Crime Commissioner"),
    "force-admin-dyfed-powys": ("Owen Price", "Information systems manager"),
    "staff-essex": ("Laura Bennett", "Performance and scrutiny officer, PFCC"),
    "chief-essex": ("Marcus Reid", "Chief Constable"),
    "pcc-essex": ("Joanna Fielding", "Police, Fire and Crime Commissioner"),
    "force-admin-essex": ("Samir Patel", "Systems administrator"),
    "inspector": ("Catherine Hughes", "HM Inspector of Constabulary"),
    "admin": ("Jordan Webb", "National administrator"),
}


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
            Membership.objects.get_or_create(user=user, force=forces[account.force])
        elif account.role is Role.NATIONAL_ADMIN:
            user.is_staff = user.is_superuser = True
        user.email = f"{account.username}@example.police.uk"
        user.set_password(password)
        user.save()
        name, job_title = DEMO_PEOPLE[account.username]
        person_name_set(user, name=name, job_title=job_title)
        grant(user, account.role)
    return accounts
