"""Celery task of the HMIC workspace: its e-mails, sent by a worker once the change has committed.
Takes ids and calls one function of `inspection.notifications`, which reads the row afresh."""

from __future__ import annotations

from celery import shared_task

from assessments.tasks import TRANSIENT_MAIL_ERRORS
from inspection import notifications


@shared_task(
    name=notifications.TASK,
    autoretry_for=TRANSIENT_MAIL_ERRORS,
    retry_backoff=30,
    max_retries=5,
    ignore_result=True,
)
def send_inspection_email(event: str, object_id: int, actor_id: int) -> int:
    """Tell the force of a new request or finding, or the inspector of an answer or response."""
    return notifications.inspection_email(event=event, object_id=object_id, actor_id=actor_id)
