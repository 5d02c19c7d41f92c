"""Fixtures for the API tests: a small edition built with the ORM, so these tests do not depend on
the edition loader (tests/api/test_spr2012.py covers the real SPR 2012 data once it is loaded)."""

from __future__ import annotations

import datetime as dt

import pytest

from capabilities.models import Area, Requirement
from tests.api.workflow_api_support import build, clients, people  # noqa: F401 — the workflow API tests' fixtures
from threats.models import Edition, JudgementLevel, Threat

SCALE = [
    ("not-assessed", "Not yet assessed", None, JudgementLevel.Tag.GREY),
    ("inadequate", "Inadequate", 1, JudgementLevel.Tag.RED),
    ("requires-improvement", "Requires improvement", 2, JudgementLevel.Tag.ORANGE),
    ("good", "Good", 3, JudgementLevel.Tag.GREEN),
]


def build_edition(
    code: str = "test-2012",
    *,
    threats: int = 3,
    areas: int = 2,
    requirements: int = 4,
    published_on: dt.date = dt.date(2012, 7, 1),
    status: str = Edition.Status.IN_FORCE,
    scale: bool = True,
) -> Edition:
    """An edition with a judgement scale (unless `scale` is false), `threats` threats, `areas` areas and `requirements`
    requirements; requirement i falls under area i % areas and addresses threat i % threats."""
    edition = Edition.objects.create(
        code=code, title=f"Edition {code}", published_on=published_on, status=status, isbn="978-1-78246-000-0"
    )
    JudgementLevel.objects.bulk_create(
        JudgementLevel(edition=edition, code=c, label=label, score=score, colour=colour, position=i)
        for i, (c, label, score, colour) in enumerate(SCALE if scale else [])
    )
    threat_rows = Threat.objects.bulk_create(
        Threat(
            edition=edition,
            code=f"threat-{i}",
            name=f"Threat {i}",
            description=f"Description of threat {i}",
            nsra_tier=1 + i % 2,
            paragraph=f"2.{i}",
            position=i,
        )
        for i in range(threats)
    )
    area_rows = Area.objects.bulk_create(
        Area(edition=edition, code=f"area-{i}", name=f"Area {i}", section=f"3.{i}", position=i) for i in range(areas)
    )
    requirement_rows = Requirement.objects.bulk_create(
        Requirement(
            edition=edition,
            ref=f"{4 + i // 26}.1({chr(97 + i % 26)})(ii)",
            paragraph=f"{4 + i // 26}.1",
            section="Capability",
            lead_in="Forces must have",
            group_heading="the capacity to",
            text=f"Requirement text {i}",
            position=i,
        )
        for i in range(requirements)
    )
    Requirement.areas.through.objects.bulk_create(
        Requirement.areas.through(requirement=r, area=area_rows[i % areas])
        for i, r in enumerate(requirement_rows)
        if areas
    )
    Requirement.threats.through.objects.bulk_create(
        Requirement.threats.through(requirement=r, threat=threat_rows[i % threats])
        for i, r in enumerate(requirement_rows)
        if threats
    )
    return edition


@pytest.fixture
def edition(db) -> Edition:
    return build_edition()
