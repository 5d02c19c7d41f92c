"""Writes of the annual cycle: a period's deadlines (national administrators, audited). Reminders are
written by `cycle.reminders`, which records each one before sending it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_record, changed_fields
from core.models import AuditEntry
from core.periods import validate_period
from cycle.models import DEADLINE_STEPS, PeriodDeadlines
from cycle.permissions import can_set_deadlines

DEADLINE_FIELDS = tuple(field for _step, field in DEADLINE_STEPS)


@transaction.atomic
def period_deadlines_save(
    *,
    user,
    period: str,
    submit_by: dt.date,
    respond_by: dt.date,
    sign_off_by: dt.date,
    publish_by: dt.date,
) -> tuple[PeriodDeadlines, bool]:
    """Set (create, or change) the deadlines of one reporting period; returns the row and whether it
    was created. National administrators only (403 for anyone else); the four dates must follow the
    workflow's order (400 naming the date out of order, nothing written); audited; saving the same
    dates again changes nothing."""
    if not can_set_deadlines(user):
        raise PermissionDenied(_("Only a national administrator can set deadlines"))
    validate_period(period)
    dates = {"submit_by": submit_by, "respond_by": respond_by, "sign_off_by": sign_off_by, "publish_by": publish_by}
    missing = {name: _("Enter a date") for name, value in dates.items() if not isinstance(value, dt.date)}
    if missing:
        raise ValidationError(missing)
    row = PeriodDeadlines.objects.select_for_update().filter(period=period).first()
    if row is None:
        row = PeriodDeadlines(period=period, updated_by=user, **dates)
        row.full_clean()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            raise ValidationError(
                {"period": _("Deadlines for %(period)s were set at the same moment: try again") % {"period": period}}
            ) from None
        audit_record(
            actor=user,
            action=AuditEntry.Action.CREATED,
            instance=row,
            changes={"period": [None, period]} | {name: [None, value] for name, value in dates.items()},
        )
        return row, True
    before = {name: getattr(row, name) for name in DEADLINE_FIELDS}
    for name, value in dates.items():
        setattr(row, name, value)
    diff = changed_fields(row, before, DEADLINE_FIELDS)
    if diff:
        row.updated_by = user
        row.full_clean()
        row.save()
        audit_record(actor=user, action=AuditEntry.Action.CHANGED, instance=row, changes=diff)
    return row, False
