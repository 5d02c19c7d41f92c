"""Reads of the annual cycle: the deadlines of each period, where an assessment stands against them,
and which forces are late (the national administrator's "waiting for you").

Deadlines are national and readable by everyone signed in; what an assessment's standing is computed
from is read through the assessments' own force scoping (`visible_to`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from assessments.models import Assessment, AssessmentStatus
from cycle.models import PeriodDeadlines
from cycle.standing import STATUS_RANK, AssessmentStanding, Standing, StepStanding, cycle_status, standing_of
from forces.models import Force

#: At most this many late forces are listed on a home page; the national view lists them all.
LATE_LIMIT = 20


def deadlines_list(*, user) -> QuerySet[PeriodDeadlines]:
    """Every period's deadlines, newest period first, with who last set them (their profile too, so
    naming them costs no query per row)."""
    return PeriodDeadlines.objects.select_related("updated_by", "updated_by__profile").order_by("-period")


def deadlines_for(*, period: str) -> PeriodDeadlines | None:
    return PeriodDeadlines.objects.filter(period=period).first()


def assessment_standing(*, assessment: Assessment, today: dt.date | None = None) -> AssessmentStanding | None:
    """Where an assessment the caller has already read (through `visible_to`) stands against its
    period's deadlines; None when no deadlines are set for the period. One query."""
    deadlines = deadlines_for(period=assessment.period)
    return standing_of(status=cycle_status(assessment), deadlines=deadlines, today=today or timezone.localdate())


def submission_due_dates(assessments) -> dict[int, dt.date]:
    """{assessment id: its period's submission deadline} for the drafts among `assessments` (already
    read through `visible_to`): when the answers of a draft's requirements are due. One query."""
    drafts = [assessment for assessment in assessments if assessment.status == AssessmentStatus.DRAFT]
    periods = {assessment.period for assessment in drafts}
    if not periods:
        return {}
    submit_by = dict(PeriodDeadlines.objects.filter(period__in=periods).values_list("period", "submit_by"))
    return {assessment.pk: submit_by[assessment.period] for assessment in drafts if assessment.period in submit_by}


def pressing_steps(*, assessments, today: dt.date | None = None) -> dict[int, StepStanding]:
    """For each of `assessments` (already read through `visible_to`) whose next workflow step is due
    soon or late against its period's deadlines, that step, by assessment id. One query, however many
    assessments and periods."""
    today = today or timezone.localdate()
    assessments = list(assessments)
    periods = {assessment.period for assessment in assessments}
    deadlines = {row.period: row for row in PeriodDeadlines.objects.filter(period__in=periods)} if periods else {}
    pressing = {}
    for assessment in assessments:
        standing = standing_of(status=cycle_status(assessment), deadlines=deadlines.get(assessment.period), today=today)
        step = standing.next_step if standing else None
        if step is not None and step.standing in (Standing.DUE_SOON, Standing.LATE):
            pressing[assessment.pk] = step
    return pressing


def _latest(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """The latest revision of each force's edition and period, among `queryset`'s."""
    newer = queryset.model.objects.filter(
        force_id=OuterRef("force_id"),
        edition_id=OuterRef("edition_id"),
        period=OuterRef("period"),
        revision__gt=OuterRef("revision"),
    )
    return queryset.filter(~Exists(newer))


@dataclass(frozen=True)
class LateForce:
    """A force late against a period's deadlines: the step it is late on, and its assessment (None
    when it has not started one)."""

    force: Force
    period: str
    standing: AssessmentStanding
    assessment: Assessment | None

    @property
    def late_step(self):
        return next(step for step in self.standing.steps if step.standing == Standing.LATE)


def late_forces(*, user, today: dt.date | None = None, periods: list[str] | None = None) -> list[LateForce]:
    """Forces late against the deadlines of the periods still running (deadlines whose publication
    date is less than a year ago), newest period first; in each, forces late on an assessment they
    have started before those that have not started one (late from the first step), then by name.
    Three queries, however many forces and periods."""
    today = today or timezone.localdate()
    rows = PeriodDeadlines.objects.all()
    if periods is not None:
        rows = rows.filter(period__in=periods)
    else:
        rows = rows.filter(publish_by__gte=today - dt.timedelta(days=365), submit_by__lt=today)
    deadlines = {row.period: row for row in rows.order_by("-period")}
    if not deadlines:
        return []
    latest: dict[tuple[int, str], Assessment] = {}
    for assessment in _latest(Assessment.objects.visible_to(user).filter(period__in=list(deadlines))).order_by(
        "force_id", "period", "-revision"
    ):
        # Several editions in one period: the one furthest on speaks for the force.
        key = (assessment.force_id, assessment.period)
        kept = latest.get(key)
        if kept is None or _rank(assessment) > _rank(kept):
            latest[key] = assessment
    forces = list(Force.objects.order_by("name"))
    result = []
    for period, row in deadlines.items():
        for force in forces:
            assessment = latest.get((force.id, period))
            status = cycle_status(assessment) if assessment else None
            standing = standing_of(status=status, deadlines=row, today=today)
            if standing is not None and standing.overall == Standing.LATE:
                if assessment is not None:
                    assessment.force = force
                result.append(LateForce(force=force, period=period, standing=standing, assessment=assessment))
    periods_order = list(deadlines)
    result.sort(key=lambda late: (periods_order.index(late.period), late.assessment is None))
    return result


def _rank(assessment: Assessment) -> int:
    return STATUS_RANK.get(cycle_status(assessment), 0)
