"""Writes to forces' capacity returns (SPR §3.2, §3.3, §4.2): each force's committed and available
figures for a capability and period, recorded by the force's PCC office staff or a national
administrator.

Services take keyword-only arguments and the acting user, check permission, validate, write in one
transaction and record the change in the audit trail (the model keeps no django-simple-history
table, so the services call `core.audit.audit_record` themselves). Pages, the API and the admin call
the same functions.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment
from core.audit import audit_record, changed_fields
from core.models import AuditEntry
from core.periods import validate_period
from forces.models import Force
from forces.permissions import can_manage_force_records

COMMITMENT_FIELDS = ("committed", "available", "notice_period_hours", "as_of")


def can_record_capacity(user, force_id: int) -> bool:
    """The force's PCC office staff, or a national administrator."""
    return can_manage_force_records(user, force_id)


def _check_figures(*, committed, available, notice_period_hours, as_of) -> None:
    errors = {}
    for name, value in (
        ("committed", committed),
        ("available", available),
        ("notice_period_hours", notice_period_hours),
    ):
        if value is None or value < 0:
            errors[name] = "Enter a whole number, 0 or more"
    if as_of is None:
        errors["as_of"] = "Enter the date the figures were true"
    elif as_of > timezone.localdate():
        errors["as_of"] = "The date the figures were true must be today or in the past"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def capacity_commitment_create(
    *,
    user,
    force: Force,
    capability: CapacityCapability,
    period: str,
    committed: int,
    available: int,
    notice_period_hours: int,
    as_of: dt.date,
) -> CapacityCommitment:
    """Record a force's figures for one capability and period. Refused (400) if already recorded:
    change the existing row with `capacity_commitment_update`."""
    if not can_record_capacity(user, force.id):
        raise PermissionDenied("You cannot record capacity for this force")
    validate_period(period)
    _check_figures(committed=committed, available=available, notice_period_hours=notice_period_hours, as_of=as_of)
    commitment = CapacityCommitment(
        force=force,
        capability=capability,
        period=period,
        committed=committed,
        available=available,
        notice_period_hours=notice_period_hours,
        as_of=as_of,
    )
    duplicate = ValidationError({"capability": f"{force.name} has already recorded {capability.name} for {period}"})
    if CapacityCommitment.objects.filter(force=force, capability=capability, period=period).exists():
        raise duplicate
    commitment.full_clean()
    try:
        with transaction.atomic():
            commitment.save()
    except IntegrityError:
        raise duplicate from None
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATED,
        instance=commitment,
        changes={name: [None, getattr(commitment, name)] for name in ("period", *COMMITMENT_FIELDS)}
        | {"capability": [None, capability.code]},
    )
    return commitment


@transaction.atomic
def capacity_commitment_update(*, user, commitment: CapacityCommitment, **changes) -> CapacityCommitment:
    """Change a recorded row's figures (never its force, capability or period)."""
    if not can_record_capacity(user, commitment.force_id):
        raise PermissionDenied("You cannot record capacity for this force")
    unknown = set(changes) - set(COMMITMENT_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed"))
    locked = CapacityCommitment.objects.select_for_update().select_related("force", "capability").get(pk=commitment.pk)
    before = {name: getattr(locked, name) for name in COMMITMENT_FIELDS}
    for name, value in changes.items():
        setattr(locked, name, value)
    _check_figures(**{name: getattr(locked, name) for name in COMMITMENT_FIELDS})
    locked.full_clean()
    locked.save()
    diff = changed_fields(locked, before, COMMITMENT_FIELDS)
    if diff:
        audit_record(actor=user, action=AuditEntry.Action.CHANGED, instance=locked, changes=diff)
    return locked


def capacity_commitment_save(*, user, force: Force, capability: CapacityCapability, period: str, **figures):
    """Create the row, or change it if the force has already recorded this capability and period."""
    existing = CapacityCommitment.objects.filter(force=force, capability=capability, period=period).first()
    if existing is None:
        return capacity_commitment_create(user=user, force=force, capability=capability, period=period, **figures)
    return capacity_commitment_update(user=user, commitment=existing, **figures)
