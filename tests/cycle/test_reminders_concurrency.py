"""Two workers running the day's reminders at the same moment send each e-mail once.

This needs real concurrency, so it commits (transaction=True) and runs two threads, each with its own
database connection. To make the race certain rather than lucky, both threads wait at a barrier after
each has worked out that nothing has been sent yet, and only then try to claim (insert) their
reminders: the unique constraint lets one insert each row, and only the inserter sends.
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail

from cycle import reminders
from cycle.models import Reminder
from cycle.services import period_deadlines_save
from tests.concurrency import run_at_once
from tests.factories import make_assessment, make_link_evidence

D = dt.date


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_reminder_once(
    forces, spr2012, national_admin_user, staff_user, chief_user, monkeypatch
):
    period_deadlines_save(
        user=national_admin_user,
        period="2026/27",
        submit_by=D(2027, 1, 31),
        respond_by=D(2027, 2, 28),
        sign_off_by=D(2027, 3, 15),
        publish_by=D(2027, 3, 31),
    )
    make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")
    make_link_evidence(user=staff_user, force=forces["west-midlands"], title="CONTEST plan", review_by=D(2027, 1, 20))
    mail.outbox = []

    both_looked = threading.Barrier(2, timeout=30)
    original = reminders._already_sent

    def look_then_wait(**kwargs):
        seen = original(**kwargs)
        both_looked.wait()  # both workers have seen that nothing was sent yet
        return seen

    monkeypatch.setattr(reminders, "_already_sent", look_then_wait)
    results = run_at_once(
        lambda name: reminders.reminders_send(today=D(2027, 2, 1)),  # a Monday: digests too
        ("worker-1", "worker-2"),
    )
    assert all(isinstance(result, reminders.RunReport) for result in results.values()), results

    sent = sorted((message.to[0], message.subject) for message in mail.outbox)
    assert sent == sorted(
        [
            (staff_user.email, "Late: Review the evidence “CONTEST plan” (West Midlands Police)"),
            (
                staff_user.email,
                "Late: Submit West Midlands Police’s SPR self-assessment for 2026/27 to the chief constable",
            ),
            (staff_user.email, "Your SPR week: 2 things waiting for you"),
        ]
    )
    assert sum(result.sent for result in results.values()) == 3
    assert Reminder.objects.filter(sent_at__isnull=False).count() == 3
