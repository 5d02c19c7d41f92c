"""The annual cycle's background work: the daily reminders (and Monday's digests), run by Celery beat
(spr/settings.py CELERY_BEAT_SCHEDULE). The task calls one function; running it twice, or on two
workers at once, sends nothing twice (cycle.reminders)."""

from __future__ import annotations

from celery import shared_task

from cycle import reminders

SEND_REMINDERS_TASK = "cycle.send_reminders"


@shared_task(name=SEND_REMINDERS_TASK, ignore_result=True)
def send_reminders() -> dict:
    """Send today's reminders and, on Mondays, the weekly digests. Returns the counts."""
    report = reminders.reminders_send()
    return {"sent": report.sent, "skipped": report.skipped, "failed": report.failed, "digests": report.digests}
