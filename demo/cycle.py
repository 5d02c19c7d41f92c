"""Demo deadlines: last period's at the end of its financial year (every demo force published in
time), and the period in progress relative to today, so that the demo shows each standing: Dyfed-Powys
(a draft) is late to submit, Kent (submitted) is late with the chief constable's response, and West
Midlands (responded) has its sign-off due soon."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from cycle.models import PeriodDeadlines
from cycle.services import period_deadlines_save
from demo.assessments import demo_years


def demo_deadlines_seed(today: dt.date | None = None) -> int:
    """Set the demo periods' deadlines where none are set (idempotent); returns how many were set."""
    today = today or timezone.localdate()
    admin = get_user_model().objects.get(username="admin")
    last_year, this_year = demo_years(today)
    end = int(last_year[:4]) + 1
    plans = {
        last_year: (dt.date(end, 1, 31), dt.date(end, 2, 28), dt.date(end, 3, 15), dt.date(end, 3, 31)),
        this_year: tuple(today + dt.timedelta(days=days) for days in (-14, -3, 10, 30)),
    }
    created = 0
    for period, (submit_by, respond_by, sign_off_by, publish_by) in plans.items():
        if PeriodDeadlines.objects.filter(period=period).exists():
            continue
        period_deadlines_save(
            user=admin,
            period=period,
            submit_by=submit_by,
            respond_by=respond_by,
            sign_off_by=sign_off_by,
            publish_by=publish_by,
        )
        created += 1
    return created
