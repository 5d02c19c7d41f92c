"""Celery tasks of the people app: they take ids and call one service."""

from __future__ import annotations

from celery import shared_task

from people import mail


@shared_task(name="people.send_invitation", ignore_result=True, autoretry_for=(OSError,), max_retries=3)
def send_invitation(invitation_id: int, link: str) -> None:
    """E-mail an invitation's one-time link (the link is not stored: only its hash is)."""
    mail.invitation_email_send(invitation_id=invitation_id, link=link)


@shared_task(name="people.send_sso_access_request", ignore_result=True, autoretry_for=(OSError,), max_retries=3)
def send_sso_access_request(pending_id: int) -> None:
    """Tell administrators that someone signed in by single sign-on with no mapped group."""
    mail.sso_access_request_email_send(pending_id=pending_id)
