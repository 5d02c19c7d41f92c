"""The national seed itself: the demo accounts of every force, which state each new assessment ends
in, and `national_seed`, which plans an assessment for every force and period not yet seeded and
writes them after the capacity figures (which their snapshots record), in one transaction.
"""

from __future__ import annotations

import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from assessments.models import Assessment
from capabilities.services import capacity_capabilities_load
from core.periods import current_period
from core.roles import Role, ensure_groups
from demo.national.assessments import assessments_seed
from demo.national.capacity import capacity_seed
from demo.national.common import EDITION, S, SeedResult, demo_periods, seeded_rng
from forces.models import Force, Membership
from people.models import Profile
from threats.models import Edition, JudgementLevel

ACCOUNTS = (
    (Role.PCC_STAFF, "staff", "PCC office"),
    (Role.CHIEF_CONSTABLE, "chief", "Chief constable"),
    (Role.PCC, "pcc", "Commissioner"),
)
JOB_TITLES = {
    Role.PCC_STAFF: "Strategic planning officer, OPCC",
    Role.CHIEF_CONSTABLE: "Chief Constable",
    Role.PCC: "Police and Crime Commissioner",
}


def _status_for(rng: random.Random, index: int, count: int, in_progress: bool = False) -> str:
    """Earlier periods are published; the one before the latest mostly; the latest is spread out,
    and a period still in progress is never signed off or published."""
    if index < count - 2:
        return S.PUBLISHED
    roll = rng.random()
    if index == count - 2:
        return S.PUBLISHED if roll < 0.85 else S.SIGNED_OFF if roll < 0.95 else S.RESPONDED
    if in_progress:
        return S.DRAFT if roll < 0.35 else S.SUBMITTED if roll < 0.7 else S.RESPONDED
    for status, upper in ((S.DRAFT, 0.25), (S.SUBMITTED, 0.55), (S.RESPONDED, 0.8), (S.SIGNED_OFF, 0.9)):
        if roll < upper:
            return status
    return S.PUBLISHED


def _people(forces: list[Force]) -> tuple[dict, int]:
    """staff/chief/pcc demo accounts for every force (one password hash for them all: hashing 138
    passwords would take longer than the rest of the seed)."""
    groups = ensure_groups()
    User = get_user_model()
    wanted = {f"{prefix}-{force.code}": (force, role, label) for force in forces for role, prefix, label in ACCOUNTS}
    existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    password = make_password(settings.SPR_DEMO_PASSWORD)
    new = [
        User(
            username=name, password=password, first_name=label, last_name=force.name, email=f"{name}@example.police.uk"
        )
        for name, (force, _, label) in wanted.items()
        if name not in existing
    ]
    if new:
        User.objects.bulk_create(new)
        existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    Membership.objects.bulk_create(
        [Membership(user=existing[name], force=force) for name, (force, _, _) in wanted.items()],
        ignore_conflicts=True,
    )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=existing[name].id, group_id=groups[role].id) for name, (_, role, _) in wanted.items()],
        ignore_conflicts=True,
    )
    # Job titles, so pages and reports name these people as they name everyone ("Name, job title").
    Profile.objects.bulk_create(
        [Profile(user=existing[name], job_title=JOB_TITLES[role]) for name, (_, role, _) in wanted.items()],
        ignore_conflicts=True,
    )
    people = {force.code: {prefix: existing[f"{prefix}-{force.code}"] for _, prefix, _ in ACCOUNTS} for force in forces}
    return people, len(new)


@transaction.atomic
def national_seed(*, periods: tuple[str, ...] | None = None, edition_code: str = EDITION) -> SeedResult:
    """Fill every force with assessments for `periods` (oldest first; by default the three up to the
    one in progress today). Returns what was created."""
    periods = periods or demo_periods()
    in_progress = current_period()
    result = SeedResult()
    capacity_capabilities_load()
    edition = Edition.objects.get(code=edition_code)
    forces = list(Force.objects.order_by("code"))
    people, result.users = _people(forces)
    requirements = list(edition.requirements.order_by("position"))
    levels = {level.code: level for level in JudgementLevel.objects.filter(edition=edition)}
    scored = sorted((lv for lv in levels.values() if lv.score is not None), key=lambda lv: -lv.score)
    best, middle, worst = scored[0], scored[len(scored) // 2], scored[-1]
    existing = set(Assessment.objects.filter(edition=edition).values_list("force_id", "period"))
    periods = tuple(sorted(periods))

    plans = []  # (force, period, index, status, rng)
    for force in forces:
        for index, period in enumerate(periods):
            if (force.id, period) in existing:
                continue
            rng = seeded_rng(force.code, period)
            status = _status_for(rng, index, len(periods), in_progress=period >= in_progress)
            plans.append((force, period, index, status, rng))
    # Capacity first: a published assessment's snapshot records the force's figures for its period.
    result.commitments = capacity_seed(forces, periods, people)
    if plans:
        assessments_seed(plans, edition, people, requirements, (best, middle, worst), result, periods)
    return result
