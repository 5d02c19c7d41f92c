"""Builders for dashboard tests: forces with assessments in chosen periods and states, made through
the services and the workflow (tests/workflow_support.py), plus evidence, actions and departures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import F

from assessments import services
from assessments.models import AssessmentStatus
from core.roles import Role
from tests.factories import make_link_evidence
from tests.workflow_support import advance, make_assessment
from threats.models import JudgementLevel


@pytest.fixture
def build(make_user, forces, spr2012):
    """build(force_code, period, state, judgement="assured", extras=0) -> a published/submitted/...
    assessment of `force_code`, every response judged `judgement`, with `extras` evidence items past
    their review date, overdue actions and live departures."""
    people: dict[str, dict] = {}

    def _people(code: str) -> dict:
        if code not in people:
            people[code] = {
                "staff": make_user(Role.PCC_STAFF, code, f"b-staff-{code}"),
                "chief": make_user(Role.CHIEF_CONSTABLE, code, f"b-chief-{code}"),
                "pcc": make_user(Role.PCC, code, f"b-pcc-{code}"),
            }
        return people[code]

    def _build(
        code: str,
        period: str,
        state: str = AssessmentStatus.PUBLISHED,
        judgement: str = "assured",
        extras: int = 0,
        share: bool = False,
    ):
        who = _people(code)
        assessment = make_assessment(user=who["staff"], force=forces[code], edition=spr2012, period=period)
        first = assessment.responses.select_related("requirement").order_by("requirement__position").first()
        for number in range(extras):
            item = make_link_evidence(
                user=who["staff"],
                force=forces[code],
                title=f"Plan {period} {number}",
                evidence_date=dt.date(2020, 1, 1),
                review_by=dt.date(2021, 1, 1),
            )
            first.evidence.add(item)
            services.action_save(
                user=who["staff"],
                assessment=assessment,
                requirement=first.requirement,
                gap="A gap.",
                description="Close it.",
                owner="ACC Operations",
                due_date=dt.date(2021, 1, 1),
            )
            services.departure_save(
                user=who["staff"],
                assessment=assessment,
                requirement=first.requirement,
                departing_party="chief_constable",
                circumstances="Circumstances.",
                reasons="Reasons.",
                alternative_arrangements="Alternatives.",
                residual_risk="Low.",
                review_date=dt.date(2030, 1, 1),
                evidence_ids=[item.id],
            )
        if share:
            assessment.share_with_hmic = True
            assessment.save(update_fields=["share_with_hmic"])
        if state != AssessmentStatus.DRAFT:
            assessment = advance(assessment, state, **who)
        # Set straight in the table (after the workflow, which answers "assured" on its way).
        level = JudgementLevel.objects.get(edition=spr2012, code=judgement)
        assessment.responses.update(
            judgement=level, narrative="Tested in the March exercise.", version=F("version") + 1
        )
        return assessment

    _build.people = _people
    return _build
