"""The workflow's e-mails: queued once the change commits, sent by the worker task (never in the
request), with absolute links, plain English, and a plain-text and an HTML part."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments import notifications, workflow
from assessments.models import AssessmentStatus
from assessments.tasks import send_challenge_email, send_workflow_email
from tests.conftest import HOME_FORCE
from tests.workflow_support import assessment_in

TASKS = {notifications.WORKFLOW_TASK: send_workflow_email, notifications.CHALLENGE_TASK: send_challenge_email}


@pytest.fixture
def queued(monkeypatch, settings):
    """The messages the request hands to the broker, recorded instead of published; `_run(sent)` then
    runs each task as the worker would (eagerly, in this process)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://spr.example.gov.uk"
    sent: list[tuple[str, dict]] = []

    def send_task(name, args=None, kwargs=None, **options):
        sent.append((name, kwargs or {}))

    monkeypatch.setattr("celery.current_app.send_task", send_task)
    return sent


@pytest.fixture
def submitted(forces, spr2012, staff_user, chief_user, pcc_user):
    return assessment_in(
        AssessmentStatus.SUBMITTED,
        force=forces[HOME_FORCE],
        edition=spr2012,
        staff=staff_user,
        chief=chief_user,
        pcc=pcc_user,
    )


def _run(sent):
    for name, kwargs in sent:
        TASKS[name].apply(kwargs=kwargs).get()


def test_returning_for_changes_emails_staff_from_the_worker_not_the_request(
    queued, submitted, pcc_client, staff_user, django_capture_on_commit_callbacks
):
    sent = queued
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = pcc_client.post(
            reverse("assessments:return", args=[submitted.pk]), {"note": "Please add the CBRN exercise evidence."}
        )

    assert response.status_code == 302
    assert mail.outbox == []  # nothing was sent in the request
    assert [name for name, _kwargs in sent] == [notifications.WORKFLOW_TASK]

    _run(sent)  # the worker's turn

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff_user.email]
    assert message.subject == "West Midlands Police SPR self-assessment for 2025/26 has been sent back for changes"
    link = f"https://spr.example.gov.uk/assessments/{submitted.pk}/"
    assert link in message.body
    assert re.search(r"https?://\S+/assessments/\d+/", message.body)
    assert "Please add the CBRN exercise evidence." in message.body
    # The PCC's account records no name: named by the role, never by the login.
    assert "The police and crime commissioner has sent West Midlands Police’s self-assessment" in message.body
    assert "pcc-home" not in message.body
    for words in ("now draft", "(return for changes)", "publish to hmic"):
        assert words not in message.body.lower() and words not in message.subject.lower()
    html, content_type = message.alternatives[0]
    assert content_type == "text/html"
    assert f'<a href="{link}">Make the changes</a>' in html


def test_publishing_tells_the_inspector_in_plain_english(
    queued, forces, spr2012, staff_user, chief_user, pcc_user, inspector_user, django_capture_on_commit_callbacks
):
    sent = queued
    pcc_user.first_name, pcc_user.last_name = "Simon", "Foster"
    pcc_user.save()
    signed_off = assessment_in(
        AssessmentStatus.SIGNED_OFF,
        force=forces[HOME_FORCE],
        edition=spr2012,
        staff=staff_user,
        chief=chief_user,
        pcc=pcc_user,
    )
    mail.outbox.clear()
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_publish(user=pcc_user, assessment=signed_off)
    assert mail.outbox == []
    _run(sent)

    message = mail.outbox[0]
    assert message.subject == "West Midlands Police has published its SPR self-assessment for 2025/26"
    assert inspector_user.email in message.to and staff_user.email in message.to
    assert "Simon Foster has published" in message.body
    assert "pcc-home" not in message.body  # a person by name, never by login
    assert "hmic" not in message.subject.lower()


def test_a_challenge_email_links_to_the_challenges_absolutely_and_escapes_user_text(
    queued, submitted, pcc_user, chief_user, django_capture_on_commit_callbacks
):
    sent = queued
    mail.outbox.clear()
    sent.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.challenge_raise(user=pcc_user, assessment=submitted, text="Why <b>no</b> CBRN exercise?")
    _run(sent)

    message = mail.outbox[0]
    assert message.to == [chief_user.email]
    assert message.subject == "New challenge on the West Midlands Police SPR self-assessment for 2025/26"
    assert f"https://spr.example.gov.uk/assessments/{submitted.pk}/challenges/" in message.body
    assert "Why <b>no</b> CBRN exercise?" in message.body  # plain text as written
    html = message.alternatives[0][0]
    assert "Why &lt;b&gt;no&lt;/b&gt; CBRN exercise?" in html and "<b>no</b>" not in html


def test_a_broker_that_is_down_does_not_fail_the_committed_change(
    monkeypatch, submitted, pcc_client, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr("celery.current_app.send_task", refuse)

    with django_capture_on_commit_callbacks(execute=True):
        response = pcc_client.post(reverse("assessments:return", args=[submitted.pk]), {"note": "Add evidence."})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AssessmentStatus.DRAFT


def test_nothing_is_queued_while_emails_are_suppressed(queued, submitted, pcc_user, django_capture_on_commit_callbacks):
    sent = queued
    sent.clear()

    with notifications.suppressed(), django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_return(user=pcc_user, assessment=submitted, note="Demo data.")

    assert sent == []
