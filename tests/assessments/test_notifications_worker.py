"""The workflow's e-mail through a real Celery worker: the request sends nothing, the worker sends the
message, and its link is absolute. Rows are committed (transaction=True) so the worker can read them."""

from __future__ import annotations

import email
import time

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import AssessmentStatus
from tests.conftest import HOME_FORCE, WORKER_SITE_URL
from tests.workflow_support import assessment_in

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SUBJECT = "West Midlands Police SPR self-assessment for 2025/26 has been sent back for changes"


def _worker_messages(folder) -> list[email.message.Message]:
    """Every message the worker wrote (the file-based backend separates them by a line of dashes)."""
    messages = []
    for path in sorted(folder.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                messages.append(email.message_from_string(chunk.strip()))
    return messages


def _returned(folder) -> list[email.message.Message]:
    return [m for m in _worker_messages(folder) if " ".join(str(m["Subject"]).split()) == SUBJECT]


def test_the_worker_not_the_request_sends_the_email_with_an_absolute_link(
    celery_worker_process, worker_mail_dir, settings, forces, spr2012, staff_user, chief_user, pcc_user, pcc_client
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # this process: the request
    submitted = assessment_in(
        AssessmentStatus.SUBMITTED,
        force=forces[HOME_FORCE],
        edition=spr2012,
        staff=staff_user,
        chief=chief_user,
        pcc=pcc_user,
    )
    mail.outbox.clear()
    already = len(_returned(worker_mail_dir))

    response = pcc_client.post(reverse("assessments:return", args=[submitted.pk]), {"note": "Add the CBRN evidence."})

    assert response.status_code == 302
    assert mail.outbox == []  # the request sent no e-mail itself
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(_returned(worker_mail_dir)) == already:
        time.sleep(0.2)
    sent = _returned(worker_mail_dir)[already:]
    assert len(sent) == 1, "the worker did not send the e-mail within 30 s"
    message = sent[0]
    assert message["To"] == staff_user.email
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode()
        for part in message.walk()
        if not part.is_multipart()
    }
    link = f"{WORKER_SITE_URL}/assessments/{submitted.pk}/"
    assert link in parts["text/plain"]
    assert f'href="{link}"' in parts["text/html"]
    assert "Add the CBRN evidence." in parts["text/plain"]
