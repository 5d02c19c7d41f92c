"""Writes to the capacity capabilities (SPR §3.2, §3.3, §4.2) with their national planning
assumptions: national administrators change them, and the illustrative starting set is loaded from
data/. Forces' figures against them are `capacity.services`.

Services take keyword-only arguments and the acting user, check permission, validate, write in one
transaction and record the change in the audit trail (this model keeps no django-simple-history
table, so the service calls `core.audit.audit_record` itself).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from capabilities.models import CapacityCapability
from core.audit import audit_record, changed_fields
from core.models import AuditEntry
from core.roles import Role, has_role

CAPABILITY_FIELDS = ("name", "unit", "national_planning_assumption", "paragraphs", "description", "position")


def can_manage_capabilities(user) -> bool:
    return has_role(user, Role.NATIONAL_ADMIN)


@transaction.atomic
def capacity_capability_save(*, user, capability: CapacityCapability | None = None, code: str = "", **fields):
    """Create a capability (give `code`) or change one (give `capability`); national administrators only.

    Unknown fields are refused; the code of an existing capability never changes.
    """
    if not can_manage_capabilities(user):
        raise PermissionDenied("Only a national administrator can change capacity capabilities")
    unknown = set(fields) - set(CAPABILITY_FIELDS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "This field cannot be changed"))
    creating = capability is None
    if creating:
        capability = CapacityCapability(code=code)
        before = {}
    else:
        capability = CapacityCapability.objects.select_for_update().get(pk=capability.pk)
        before = {name: getattr(capability, name) for name in CAPABILITY_FIELDS}
    for name, value in fields.items():
        setattr(capability, name, value)
    capability.full_clean()
    capability.save()
    changes = changed_fields(capability, before, ("code", *CAPABILITY_FIELDS) if creating else CAPABILITY_FIELDS)
    if changes:
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATED if creating else AuditEntry.Action.CHANGED,
            instance=capability,
            changes=changes,
        )
    return capability


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


@transaction.atomic
def capacity_capabilities_load(*, path: Path | None = None) -> int:
    """Create the capabilities in data/capacity_capabilities.csv that are missing; returns how many.

    Idempotent. Rows that exist are left as a national administrator last set them: the file's
    planning assumptions are ILLUSTRATIVE starting values, not official figures.
    """
    path = path or settings.SPR_DATA_DIR / "capacity_capabilities.csv"
    created = 0
    for row in _rows(path):
        _, made = CapacityCapability.objects.get_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "unit": row["unit"],
                "national_planning_assumption": int(row["national_planning_assumption"]),
                "paragraphs": row["paragraphs"],
                "position": int(row["position"] or 0),
                "description": row["description"],
            },
        )
        created += made
    return created
