"""Capacity figures for the demo: each force's committed and available numbers per capability and
period, written in bulk with an audit entry for each, for the national seed and for the default
demo's forces alike. Only missing rows are written, so running it again adds nothing.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from capabilities.models import CapacityCapability
from capabilities.services import capacity_capabilities_load
from capacity.models import CapacityCommitment
from core.audit import audit_record
from core.models import AuditEntry
from demo.national.common import period_dates, seeded_rng
from forces.models import Force


def capacity_seed(forces: list[Force], periods: tuple[str, ...], people) -> int:
    """Each force's committed and available figures per capability and period (missing rows only)."""
    capabilities = list(CapacityCapability.objects.order_by("position"))
    have = set(CapacityCommitment.objects.filter(period__in=periods).values_list("force_id", "capability_id", "period"))
    rows = []
    for force in forces:
        size = seeded_rng("size", force.code).uniform(0.5, 1.8)
        for period in periods:
            _, end = period_dates(period)
            for capability in capabilities:
                if (force.id, capability.id, period) in have:
                    continue
                rng = seeded_rng(force.code, capability.code, period)
                committed = max(
                    0, round(capability.national_planning_assumption / len(forces) * size * rng.uniform(0.8, 1.15))
                )
                rows.append(
                    CapacityCommitment(
                        force=force,
                        capability=capability,
                        period=period,
                        committed=committed,
                        available=max(0, committed - rng.choice([0, 0, 0, 1, 2])),
                        notice_period_hours=rng.choice([1, 2, 4, 8, 24]),
                        as_of=end - dt.timedelta(days=rng.randint(0, 60)),
                    )
                )
    CapacityCommitment.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        audit_record(
            actor=people[row.force.code]["staff"],
            action=AuditEntry.Action.CREATED,
            instance=row,
            changes={
                "capability": [None, row.capability.code],
                "period": [None, row.period],
                "committed": [None, row.committed],
                "available": [None, row.available],
                "notice_period_hours": [None, row.notice_period_hours],
                "as_of": [None, row.as_of],
            },
        )
    return len(rows)


def demo_capacity_seed(force_codes: tuple[str, ...], periods: tuple[str, ...]) -> int:
    """Capacity capabilities and the demo forces' figures, for the default demo (idempotent)."""
    capacity_capabilities_load()
    forces = list(Force.objects.filter(code__in=force_codes).order_by("name"))
    User = get_user_model()
    people = {force.code: {"staff": User.objects.get(username=f"staff-{force.code}")} for force in forces}
    return capacity_seed(forces, periods, people)
