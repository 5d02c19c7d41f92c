"""Where an assessment stands against its period's deadlines: per workflow step, done, on time, due
soon (within DUE_SOON_DAYS) or late; and overall, the worst of its steps.

Pure functions of a workflow status, the deadlines and a date: no query, no clock (the caller passes
`today`), so they are tested with dates alone and serve pages, the API, the national filter and the
reminders alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentStatus
from cycle.models import DEADLINE_STEPS

DUE_SOON_DAYS = 14

#: How far through the workflow each status is; a step is done once the status reaches its target.
STATUS_RANK = {
    AssessmentStatus.DRAFT: 0,
    AssessmentStatus.SUBMITTED: 1,
    AssessmentStatus.RESPONDED: 2,
    AssessmentStatus.SIGNED_OFF: 3,
    AssessmentStatus.PUBLISHED: 4,
}
STEP_RANK = {"submit": 1, "respond": 2, "sign_off": 3, "publish": 4}
STEP_LABELS = {
    "submit": _("Submitted to the chief constable"),
    "respond": _("Chief constable’s response"),
    "sign_off": _("Signed off by the PCC"),
    "publish": _("Published to HMIC"),
}


def cycle_status(assessment) -> str:
    """The workflow status an assessment counts as against its period's deadlines: a revision of a
    published assessment counts as published (the period's cycle was completed; a revision is not
    late to be submitted again)."""
    if getattr(assessment, "supersedes_id", None):
        return AssessmentStatus.PUBLISHED
    return assessment.status


class Standing(models.TextChoices):
    """Worst last: `worst()` picks by this order."""

    DONE = "done", _("Done")
    ON_TIME = "on_time", _("On time")
    DUE_SOON = "due_soon", _("Due soon")
    LATE = "late", _("Late")


ORDER = list(Standing.values)
TAG_COLOURS = {Standing.DONE: "green", Standing.ON_TIME: "blue", Standing.DUE_SOON: "yellow", Standing.LATE: "red"}


def step_standing(*, due: dt.date, done: bool, today: dt.date) -> Standing:
    """Done once done (early or late: the date it happened is in the workflow's history); late the day
    after the deadline; due soon from DUE_SOON_DAYS before it to the day itself; on time before that."""
    if done:
        return Standing.DONE
    if today > due:
        return Standing.LATE
    if (due - today).days <= DUE_SOON_DAYS:
        return Standing.DUE_SOON
    return Standing.ON_TIME


@dataclass(frozen=True)
class StepStanding:
    step: str
    due: dt.date
    standing: Standing

    @property
    def label(self) -> str:
        return str(STEP_LABELS[self.step])

    @property
    def colour(self) -> str:
        return TAG_COLOURS[self.standing]

    @property
    def standing_label(self) -> str:
        return str(self.standing.label)


@dataclass(frozen=True)
class AssessmentStanding:
    """Every step's standing, the overall one (the worst), and the step waiting to be done next."""

    steps: list[StepStanding]
    overall: Standing
    next_step: StepStanding | None

    @property
    def colour(self) -> str:
        return TAG_COLOURS[self.overall]

    @property
    def label(self) -> str:
        return str(self.overall.label)


def worst(standings) -> Standing:
    return max(standings, key=ORDER.index, default=Standing.DONE)


def standing_of(*, status: str | None, deadlines, today: dt.date) -> AssessmentStanding | None:
    """Where an assessment in `status` (None: the force has not started one) stands against
    `deadlines` (a PeriodDeadlines, or None: no deadlines set, so no standing)."""
    if deadlines is None:
        return None
    rank = STATUS_RANK.get(status, -1) if status is not None else -1
    steps = [
        StepStanding(
            step,
            getattr(deadlines, field),
            step_standing(due=getattr(deadlines, field), done=rank >= STEP_RANK[step], today=today),
        )
        for step, field in DEADLINE_STEPS
    ]
    pending = [s for s in steps if s.standing != Standing.DONE]
    return AssessmentStanding(
        steps=steps, overall=worst(s.standing for s in steps), next_step=pending[0] if pending else None
    )
