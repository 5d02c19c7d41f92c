"""The workspace's e-mails: who is told what (built here), and one sent by a real Celery worker after
the request commits."""

from __future__ import annotations

import datetime as dt
import email
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from inspection import notifications, services
from people.services import person_name_set
from tests.conftest import WORKER_SITE_URL

SUBJECT = "HMICFRS has asked Kent Police for evidence"


@pytest.mark.django_db
def test_kents_answering_staff_are_told_of_a_request_and_the_inspector_of_the_answer(
    make_user, inspector_user, kent_staff, kent_request, kent_finding
):
    person_name_set(inspector_user, name="Catherine Hughes", job_title="HM Inspector of Constabulary")
    chief = make_user(Role.CHIEF_CONSTABLE, "kent")
    make_user(Role.PCC, "kent")  # not an answering role: not told
    make_user(Role.PCC_STAFF, "west-midlands")
    message = notifications.inspection_message(event="request_raised", obj=kent_request, actor_id=inspector_user.pk)
    assert message.subject == SUBJECT
    assert sorted(message.recipients) == sorted([kent_staff.email, chief.email])
    assert "Catherine Hughes, HM Inspector of Constabulary has asked Kent Police" in message.paragraphs[0]
    assert "4.1(c)" in message.paragraphs[0] and message.quote == kent_request.text
    assert message.url.endswith(reverse("inspection:request-detail", args=[kent_request.pk]))

    done = services.evidence_request_answer(user=kent_staff, evidence_request=kent_request, evidence_ids=[], note="See")
    answered = notifications.inspection_message(event="request_answered", obj=done, actor_id=kent_staff.pk)
    assert answered.recipients == [inspector_user.email] and answered.quote == "See"

    recorded = notifications.inspection_message(event="finding_recorded", obj=kent_finding, actor_id=inspector_user.pk)
    assert recorded.subject == "HMICFRS has recorded a finding for Kent Police"
    assert "area for improvement" in recorded.paragraphs[0]


@pytest.mark.django_db
def test_nothing_is_queued_when_a_write_is_refused(django_capture_on_commit_callbacks, kent_staff, kent, requirement):
    from django.core.exceptions import PermissionDenied

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        services.evidence_request_create(
            user=kent_staff, force=kent, requirements=[requirement], text="t", due_date=timezone.localdate()
        )
    assert callbacks == []


def _messages(folder) -> list[email.message.Message]:
    found = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.strip()))
    return [m for m in found if " ".join(str(m["Subject"]).split()) == SUBJECT]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_tells_kent_of_a_new_request(
    celery_worker_process, worker_mail_dir, settings, inspector_client, kent_staff, requirement, kent
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # this process: the request
    mail.outbox.clear()
    already = len(_messages(worker_mail_dir))
    due = timezone.localdate() + dt.timedelta(days=7)
    answer = inspector_client.post(
        reverse("inspection:request-create"),
        {
            "force": "kent",
            "requirements": [requirement.pk],
            "text": "Send the plan",
            "due_date_day": due.day,
            "due_date_month": due.month,
            "due_date_year": due.year,
        },
    )
    assert answer.status_code == 302
    assert mail.outbox == []  # the request sent nothing itself
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_messages(worker_mail_dir)) == already:
        time.sleep(0.2)
    sent = _messages(worker_mail_dir)[already:]
    assert len(sent) == 1, "the worker did not send the e-mail within 30 s"
    assert sent[0]["To"] == kent_staff.email
    body = next(p.get_payload(decode=True).decode() for p in sent[0].walk() if p.get_content_type() == "text/plain")
    assert f"{WORKER_SITE_URL}{answer['Location']}" in body and "Send the plan" in body
