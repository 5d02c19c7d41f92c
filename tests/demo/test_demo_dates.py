"""The demo is relative to today: at any date, `seed_demo` fills last period (published in the past)
and the period in progress (not published), evidence dated within its period, open actions some
overdue and some due next month with varied owners and gaps, and capacity in proportion to force
size against expected contributions."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from assessments.models import Action, Assessment, Evidence, Transition
from capacity.models import CapacityCommitment, ExpectedContribution
from core.periods import current_period, previous_period
from cycle.models import PeriodDeadlines
from cycle.standing import standing_of
from demo.national import demo_periods, national_seed
from demo.national.common import period_dates


@pytest.mark.parametrize("today", [dt.date(2026, 12, 3), dt.date(2031, 5, 10)])
def test_seed_demo_is_relative_to_today(db, settings, today):
    settings.DEBUG = True
    with time_machine.travel(dt.datetime(today.year, today.month, today.day, 9, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", verbosity=0)
    this_year = current_period(today)
    last_year = previous_period(this_year)

    assessments = Assessment.objects.all()
    assert set(assessments.values_list("period", flat=True)) == {last_year, this_year}
    now = dt.datetime(today.year, today.month, today.day, 9, tzinfo=dt.UTC)
    for a in assessments.filter(period=last_year):
        assert a.status == "published"
        assert period_dates(last_year)[0] <= a.published_at.date() and a.published_at < now - dt.timedelta(days=7)
        assert a.snapshot.payload["assessment"]["sign_off"]["published_at"].startswith(str(a.published_at.date()))
    assert not assessments.filter(period=this_year, status__in=["signed_off", "published"]).exists()
    assert not Transition.objects.filter(at__gt=now).exists()

    for item in Evidence.objects.all():
        start, end = period_dates(last_year)
        assert start <= item.evidence_date <= today
    assert Evidence.objects.filter(evidence_date__gte=period_dates(this_year)[0]).exists()

    open_actions = Action.objects.filter(status__in=["open", "in_progress"])
    assert open_actions.filter(due_date__lt=today).exists()  # overdue
    assert open_actions.filter(due_date__gt=today, due_date__lte=today + dt.timedelta(days=60)).exists()
    assert Action.objects.values("owner").distinct().count() >= 4
    gaps = Counter(Action.objects.values_list("gap", flat=True))
    assert len(gaps) >= 6 and max(gaps.values()) <= 5  # was one sentence 15 times

    assert CapacityCommitment.objects.filter(period=this_year).exists()
    assert not CapacityCommitment.objects.filter(as_of__gt=today).exists()
    expected = dict(
        ExpectedContribution.objects.filter(period=this_year, capability__code="public-order-psu").values_list(
            "force__code", "expected"
        )
    )
    assert expected["west-midlands"] > expected["kent"] > expected["dyfed-powys"]

    # Deadlines for both periods; this year's put some demo forces behind (cycle.standing).
    deadlines = {row.period: row for row in PeriodDeadlines.objects.all()}
    assert set(deadlines) == {last_year, this_year}
    assert {
        standing_of(status=a.status, deadlines=deadlines[last_year], today=today).overall
        for a in assessments.filter(period=last_year)
    } == {"done"}
    this = {
        a.force.code: standing_of(status=a.status, deadlines=deadlines[this_year], today=today).overall
        for a in assessments.filter(period=this_year).select_related("force")
    }
    assert this == {"dyfed-powys": "late", "essex": "late", "kent": "late", "west-midlands": "due_soon"}


def test_national_seed_follows_force_size_and_today(forces, spr2012):
    today = dt.date(2027, 4, 20)  # three weeks into a period: last period is not "published tomorrow"
    with time_machine.travel(dt.datetime(2027, 4, 20, 9, tzinfo=dt.UTC), tick=False):
        national_seed(periods=demo_periods(count=2))
    assert demo_periods(today, count=2) == ("2026/27", "2027/28")
    now = dt.datetime(2027, 4, 20, 9, tzinfo=dt.UTC)
    assert not Assessment.objects.filter(published_at__gt=now).exists()
    assert not Transition.objects.filter(at__gt=now).exists()
    assert not Assessment.objects.filter(period="2027/28", status__in=["signed_off", "published"]).exists()
    psu = dict(
        CapacityCommitment.objects.filter(period="2027/28", capability__code="public-order-psu").values_list(
            "force__code", "committed"
        )
    )
    assert psu["metropolitan"] > 10 * psu["city-of-london"]
    assert psu["metropolitan"] > psu["west-midlands"] > psu["dyfed-powys"]
    assert ExpectedContribution.objects.filter(period="2027/28").count() == 46 * 8
    assert not ExpectedContribution.objects.filter(official=True).exists()
