"""Capacity figures for the demo: each force's expected contribution and its committed and available
numbers per capability and period, in proportion to the force's size (data/force-size.csv, an
ILLUSTRATIVE proxy: see data/force-size.md), written in bulk with an audit entry for each, for the
national seed and for the default demo's forces alike. Only missing rows are written, so running it
again adds nothing. Expected contributions are written as not official (illustrative).
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from capabilities.models import CapacityCapability
from capabilities.services import capacity_capabilities_load
from capacity.models import CapacityCommitment, ExpectedContribution
from core.audit import audit_record
from core.models import AuditEntry
from demo.national.common import period_dates, seeded_rng
from forces.models import Force

PERIOD_FIGURES = ("period", "committed", "available", "notice_period_hours", "as_of")
#: A force missing from data/force-size.csv counts as a small force.
DEFAULT_WEIGHT = 1500


@cache
def force_size_weights() -> dict[str, int]:
    """Illustrative size weight per force code (approximate officer strength, not official)."""
    with (settings.SPR_DATA_DIR / "force-size.csv").open(encoding="utf-8") as handle:
        return {row["code"]: int(row["size_weight"]) for row in csv.DictReader(handle)}


def force_shares(codes) -> dict[str, float]:
    """Each force's share of the national pool: its weight over the weight of every force in the
    data (not only the forces being seeded, so three demo forces get their national share)."""
    weights = force_size_weights()
    total = sum(weights.values())
    return {code: weights.get(code, DEFAULT_WEIGHT) / total for code in codes}


def _audit(rows, actor_of, fields) -> None:
    for row in rows:
        audit_record(
            actor=actor_of(row),
            action=AuditEntry.Action.CREATED,
            instance=row,
            changes={"capability": [None, row.capability.code]} | {name: [None, getattr(row, name)] for name in fields},
        )


def capacity_seed(forces: list[Force], periods: tuple[str, ...], people, admin=None) -> int:
    """Each force's expected contribution and its committed and available figures per capability
    and period (missing rows only), in proportion to its size. A period still in progress has
    figures dated no later than today. Returns the number of commitments written."""
    capabilities = list(CapacityCapability.objects.order_by("position"))
    shares = force_shares([f.code for f in forces])
    today = timezone.localdate()
    have = set(CapacityCommitment.objects.filter(period__in=periods).values_list("force_id", "capability_id", "period"))
    have_expected = set(
        ExpectedContribution.objects.filter(period__in=periods).values_list("force_id", "capability_id", "period")
    )
    rows, expectations = [], []
    for force in forces:
        for period in periods:
            start, end = period_dates(period)
            latest = min(end, today)
            for capability in capabilities:
                fair = capability.national_planning_assumption * shares[force.code]
                expected = max(1, round(fair))
                if (force.id, capability.id, period) not in have_expected:
                    expectations.append(
                        ExpectedContribution(
                            force=force, capability=capability, period=period, expected=expected, official=False
                        )
                    )
                if (force.id, capability.id, period) in have:
                    continue
                rng = seeded_rng(force.code, capability.code, period)
                committed = max(0, round(fair * rng.uniform(0.75, 1.15)))
                span = max(0, (latest - start).days)
                rows.append(
                    CapacityCommitment(
                        force=force,
                        capability=capability,
                        period=period,
                        committed=committed,
                        available=max(0, committed - rng.choice([0, 0, 0, 1, 2])),
                        notice_period_hours=rng.choice([1, 2, 4, 8, 24]),
                        as_of=latest - dt.timedelta(days=rng.randint(0, min(60, span))),
                    )
                )
    ExpectedContribution.objects.bulk_create(expectations, batch_size=1000)
    CapacityCommitment.objects.bulk_create(rows, batch_size=1000)
    _audit(rows, lambda row: people[row.force.code]["staff"], PERIOD_FIGURES)
    # Set nationally: by the demo's national administrator (no actor if there is none yet).
    admin = admin or get_user_model().objects.filter(username="admin").first()
    _audit(expectations, lambda row: admin, ("period", "expected", "official"))
    return len(rows)


def demo_capacity_seed(force_codes: tuple[str, ...], periods: tuple[str, ...]) -> int:
    """Capacity capabilities and the demo forces' figures, for the default demo (idempotent)."""
    capacity_capabilities_load()
    forces = list(Force.objects.filter(code__in=force_codes).order_by("name"))
    User = get_user_model()
    people = {force.code: {"staff": User.objects.get(username=f"staff-{force.code}")} for force in forces}
    return capacity_seed(forces, periods, people)
