"""What the rest of the national demo builds on: the edition and periods it fills, the shorthand for
assessment statuses, the counts `national_seed` returns, a random generator seeded from names (so the
same force and period always get the same data) and a period's first and last days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from assessments.models import AssessmentStatus

EDITION = "spr-2012"
PERIODS = ("2023/24", "2024/25", "2025/26")
S = AssessmentStatus


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
