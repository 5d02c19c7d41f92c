"""Reporting periods: financial years written `2025/26` (April to March)."""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

PERIOD_RE = re.compile(r"^(?P<start>20\d{2})/(?P<end>\d{2})$")


def validate_period(value: str) -> None:
    """A financial year written `2025/26`: the second year follows the first."""
    match = PERIOD_RE.match(value or "")
    if not match or (int(match["start"]) + 1) % 100 != int(match["end"]):
        raise ValidationError("Enter the reporting period as a financial year, like 2025/26")


def previous_period(period: str) -> str:
    start = int(period[:4]) - 1
    return f"{start}/{(start + 1) % 100:02d}"


def current_period(today: dt.date | None = None) -> str:
    """The financial year (April to March) that `today` falls in, e.g. 2025/26."""
    today = today or timezone.localdate()
    start = today.year if today.month >= 4 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def period_start(period: str) -> dt.date:
    """The first day of a financial year: 1 April of its first year."""
    return dt.date(int(period[:4]), 4, 1)
