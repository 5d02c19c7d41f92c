"""The daily reminders run as the beat schedule runs them: a Celery task, executed by a real worker,
whose e-mail lands in files the test reads."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings
from django.utils import timezone

from cycle.tasks import SEND_REMINDERS_TASK
from tests.conftest import WORKER_SITE_URL
from tests.factories import make_link_evidence


def _mail_text(folder) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(folder.glob("*.log")))


def test_the_beat_schedule_runs_the_reminders_daily():
    from celery.schedules import crontab

    from spr.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["cycle-send-reminders"]
    assert entry["task"] == SEND_REMINDERS_TASK
    assert isinstance(entry["schedule"], crontab)
    app.loader.import_default_modules()
    assert SEND_REMINDERS_TASK in app.tasks


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_days_reminders(celery_worker_process, worker_mail_dir, staff_user, forces):
    from celery import current_app

    title = "Worker reminder CONTEST plan"
    make_link_evidence(
        user=staff_user,
        force=forces["west-midlands"],
        title=title,
        evidence_date=timezone.localdate() - dt.timedelta(days=30),
        review_by=timezone.localdate() - dt.timedelta(days=1),
    )
    current_app.send_task(SEND_REMINDERS_TASK)
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and title not in _mail_text(worker_mail_dir):
        time.sleep(0.3)
    text = _mail_text(worker_mail_dir)
    assert f"Review the evidence “{title}”" in text, text[-3000:]
    assert f"To: {staff_user.email}" in text
    assert f"{WORKER_SITE_URL}/evidence/" in text
