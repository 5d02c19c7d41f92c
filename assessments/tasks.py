"""Celery tasks of the assessments app: the workflow's e-mails, sent by a worker after the transition
or challenge has committed (never in the web request). They take ids and call one function of
`assessments.notifications`, which reads the rows afresh."""

from __future__ import annotations

import smtplib

from celery import shared_task

from assessments import notifications

#: A mail server that refuses a connection or times out is worth trying again; a message it rejects
#: outright (a bad address) is not.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


@shared_task(
    name=notifications.WORKFLOW_TASK,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    max_retries=5,
    ignore_result=True,
)
def send_workflow_email(assessment_id: int, action: str, actor_id: int, note: str = "") -> int:
    """Tell the next actor(s) about a transition. Returns the number of messages sent."""
    return notifications.workflow_email(assessment_id=assessment_id, action=action, actor_id=actor_id, note=note)


@shared_task(
    name=notifications.CHALLENGE_TASK,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    max_retries=5,
    ignore_result=True,
)
def send_challenge_email(challenge_id: int, event: str, actor_id: int) -> int:
    """Tell the chief constable about a new challenge, or the challenger about a reply or closure."""
    return notifications.challenge_email(challenge_id=challenge_id, event=event, actor_id=actor_id)
