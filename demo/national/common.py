"""What the rest of the national demo builds on: the edition and periods it fills (counted back from
today: the last is the period in progress), the shorthand for assessment statuses, the counts
`national_seed` returns, a random generator seeded from names (so the same force and period always
get the same data), a period's first and last days and the moments its workflow happened.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone

from assessments.models import AssessmentStatus
from core.periods import current_period, previous_period

EDITION = "spr-2012"
S = AssessmentStatus


def demo_periods(today: dt.date | None = None, count: int = 3) -> tuple[str, ...]:
    """The `count` periods up to the one `today` falls in (oldest first): the last is in progress."""
    periods = [current_period(today)]
    while len(periods) < count:
        periods.insert(0, previous_period(periods[0]))
    return tuple(periods)


@dataclass
class SeedResult:
    assessments: int = 0
    responses: int = 0
    evidence: int = 0
    commitments: int = 0
    users: int = 0


def seeded_rng(*parts) -> random.Random:
    return random.Random(":".join(str(part) for part in parts))  # noqa: S311 — repeatable demo data


def period_dates(period: str) -> tuple[dt.date, dt.date]:
    start = int(period[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def timeline(period: str, today: dt.date | None = None):
    """`when(days)`: the moment `days` into the period's reporting round, never after today.

    A past period is reported on around its end (but the round ends at least two weeks before
    today, so a period that closed last week has not been published "tomorrow"); the period in
    progress has its round squeezed into the weeks before today, and never before it started.
    """
    today = today or timezone.localdate()
    start, end = period_dates(period)
    if end < today:
        base, scale = min(end, today - dt.timedelta(days=60)), 1.0
    else:
        base = max(start, today - dt.timedelta(days=50))
        scale = min(1.0, (today - base).days / 50)

    def when(days: int) -> dt.datetime:
        return moment(base + dt.timedelta(days=int(days * scale)))

    return when


def day_in(period: str, rng: random.Random, today: dt.date | None = None, *, until: int = 330) -> dt.date:
    """A day within the period (at most `until` days in), and not after today."""
    today = today or timezone.localdate()
    start, _ = period_dates(period)
    latest = min(until, (today - start).days)
    return start + dt.timedelta(days=rng.randint(0, max(0, latest)))
