"""Where an assessment stands against its period's deadlines: a pure function of status, dates and
today, tested with dates alone."""

from __future__ import annotations

import datetime as dt

import pytest

from cycle.models import PeriodDeadlines
from cycle.standing import Standing, standing_of, step_standing

D = dt.date
DEADLINES = PeriodDeadlines(
    period="2026/27",
    submit_by=D(2027, 1, 31),
    respond_by=D(2027, 2, 28),
    sign_off_by=D(2027, 3, 15),
    publish_by=D(2027, 3, 31),
)


@pytest.mark.parametrize(
    ("today", "done", "expected"),
    [
        (D(2027, 1, 1), False, Standing.ON_TIME),  # 30 days before
        (D(2027, 1, 16), False, Standing.ON_TIME),  # 15 days before
        (D(2027, 1, 17), False, Standing.DUE_SOON),  # 14 days before
        (D(2027, 1, 31), False, Standing.DUE_SOON),  # the day itself
        (D(2027, 2, 1), False, Standing.LATE),  # the day after
        (D(2027, 2, 1), True, Standing.DONE),  # done is done, however late
        (D(2026, 6, 1), True, Standing.DONE),
    ],
)
def test_step_standing_by_date(today, done, expected):
    assert step_standing(due=D(2027, 1, 31), done=done, today=today) == expected


def test_a_draft_two_weeks_before_submission_is_due_soon_and_the_later_steps_on_time():
    standing = standing_of(status="draft", deadlines=DEADLINES, today=D(2027, 1, 20))
    assert [(s.step, s.standing) for s in standing.steps] == [
        ("submit", Standing.DUE_SOON),
        ("respond", Standing.ON_TIME),
        ("sign_off", Standing.ON_TIME),
        ("publish", Standing.ON_TIME),
    ]
    assert standing.overall == Standing.DUE_SOON
    assert standing.next_step.step == "submit"


def test_a_submitted_assessment_past_the_response_date_is_late_on_the_response_only():
    standing = standing_of(status="submitted", deadlines=DEADLINES, today=D(2027, 3, 1))
    assert [s.standing for s in standing.steps] == [
        Standing.DONE,
        Standing.LATE,
        Standing.DUE_SOON,  # 14 days to go
        Standing.ON_TIME,  # 30 days to go
    ]
    assert standing.overall == Standing.LATE
    assert standing.next_step.step == "respond"


def test_a_published_assessment_is_done_whenever_it_was_published():
    standing = standing_of(status="published", deadlines=DEADLINES, today=D(2027, 6, 1))
    assert standing.overall == Standing.DONE
    assert standing.next_step is None


def test_a_force_that_has_not_started_is_late_once_submission_is_past():
    assert standing_of(status=None, deadlines=DEADLINES, today=D(2027, 2, 1)).overall == Standing.LATE
    assert standing_of(status=None, deadlines=DEADLINES, today=D(2026, 12, 1)).overall == Standing.ON_TIME


def test_no_deadlines_no_standing():
    assert standing_of(status="draft", deadlines=None, today=D(2027, 1, 1)) is None
