"""Writes to forces' capacity returns (SPR §3.2, §3.3, §4.2): each force's committed and available
figures for a capability and period, recorded by the force's PCC office staff or a national
administrator.

Services take keyword-only arguments and the acting user, check permission, validate, write in one
transaction and record the change in the audit trail (the model keeps no django-simple-history
table, so the services call `core.audit.audit_record` themselves). Pages, the API and the admin call
the same functions.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from core.audit import audit_record, changed_fields
from core.models import AuditEntry
from core.periods import validate_period
from core.roles import Role, has_role
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


# --- Expected contributions ------------------------------------------------------------------------


def can_set_expected_contributions(user) -> bool:
    """National administrators only: an expectation is set nationally, never by the force itself."""
    return has_role(user, Role.NATIONAL_ADMIN)


@transaction.atomic
def expected_contribution_save(
    *,
    user,
    force: Force,
    capability: CapacityCapability,
    period: str,
    expected: int,
    official: bool = False,
) -> ExpectedContribution:
    """Set (create or change) what a force is expected to contribute for one capability and period.
    National administrators only; audited; saving the same figures again changes nothing."""
    if not can_set_expected_contributions(user):
        raise PermissionDenied("Only a national administrator can set expected contributions")
    validate_period(period)
    if expected is None or expected < 0:
        raise ValidationError({"expected": "Enter the expected contribution as a whole number, 0 or more"})
    row = (
        ExpectedContribution.objects.select_for_update()
        .filter(force=force, capability=capability, period=period)
        .first()
    )
    if row is None:
        row = ExpectedContribution(
            force=force, capability=capability, period=period, expected=expected, official=official
        )
        row.full_clean()
        row.save()
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATED,
            instance=row,
            changes={
                "capability": [None, capability.code],
                "period": [None, period],
                "expected": [None, expected],
                "official": [None, official],
            },
        )
        return row
    before = {"expected": row.expected, "official": row.official}
    row.expected, row.official = expected, official
    diff = changed_fields(row, before, ("expected", "official"))
    if diff:
        row.full_clean()
        row.save()
        audit_record(actor=user, action=AuditEntry.Action.CHANGED, instance=row, changes=diff)
    return row


EXPECTED_CSV_HEADER = ["force_code", "capability_code", "period", "expected", "official"]
TRUE_WORDS = {"yes", "true", "1", "y"}
FALSE_WORDS = {"no", "false", "0", "n", ""}
IMPORT_MAX_ROWS = 5000


@dataclass
class ImportReport:
    """What an upload did: the rows read, the rows written, and every refused row with its number
    (the line in the file, the header being line 1) and the reason."""

    rows: int = 0
    written: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def expected_contributions_import(*, user, text: str) -> ImportReport:
    """Read a CSV of expected contributions (`force_code,capability_code,period,expected[,official]`)
    and write it **all or nothing**: every row is checked first, and if any row is refused nothing is
    written and the report lists every refused row with its line number and reason. A row for a force,
    capability and period already set changes that figure."""
    if not can_set_expected_contributions(user):
        raise PermissionDenied("Only a national administrator can set expected contributions")
    report = ImportReport()
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [name for name in EXPECTED_CSV_HEADER[:4] if name not in header]
    if missing:
        report.errors.append((1, f"The first line must name the columns: {', '.join(EXPECTED_CSV_HEADER)}"))
        return report
    index = {name: header.index(name) for name in EXPECTED_CSV_HEADER if name in header}
    forces = {f.code: f for f in Force.objects.all()}
    capabilities = {c.code: c for c in CapacityCapability.objects.all()}
    seen: dict[tuple[str, str, str], int] = {}
    parsed = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        report.rows += 1
        if report.rows > IMPORT_MAX_ROWS:
            report.errors.append((line, f"The file has more than {IMPORT_MAX_ROWS} rows: split it"))
            break

        def cell(name: str, cells=cells) -> str:
            position = index.get(name)
            return cells[position].strip() if position is not None and position < len(cells) else ""

        reasons = []
        force = forces.get(cell("force_code"))
        if force is None:
            reasons.append(f"no force has the code '{cell('force_code')}'")
        capability = capabilities.get(cell("capability_code"))
        if capability is None:
            reasons.append(f"no capability has the code '{cell('capability_code')}'")
        period = cell("period")
        try:
            validate_period(period)
        except ValidationError:
            reasons.append(f"the period '{period}' is not a financial year like 2025/26")
        raw = cell("expected")
        expected = int(raw) if raw.isdigit() else None
        if expected is None:
            reasons.append(f"the expected contribution '{raw}' is not a whole number, 0 or more")
        official_word = cell("official").lower()
        if official_word not in TRUE_WORDS | FALSE_WORDS:
            reasons.append(f"official must be yes or no, not '{cell('official')}'")
        key = (cell("force_code"), cell("capability_code"), period)
        if not reasons and key in seen:
            reasons.append(f"the same force, capability and period are on line {seen[key]}")
        seen.setdefault(key, line)
        if reasons:
            report.errors.append((line, "; ".join(reasons).capitalize()))
        else:
            parsed.append((force, capability, period, expected, official_word in TRUE_WORDS))
    if report.rows == 0 and not report.errors:
        report.errors.append((2, "The file has no rows under its header"))
    if report.errors:
        return report
    with transaction.atomic():
        for force, capability, period, expected, official in parsed:
            expected_contribution_save(
                user=user, force=force, capability=capability, period=period, expected=expected, official=official
            )
    report.written = len(parsed)
    return report
