"""Invitations and SSO access requests are e-mailed by a real Celery worker, after the commit."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from core.roles import Role
from people import services


def _mail_text(folder) -> str:
    return "\n".join(path.read_text(errors="replace") for path in sorted(folder.glob("*.log")))


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_invitation_with_its_absolute_link(
    celery_worker_process, worker_mail_dir, make_user, forces, settings
):
    """The session's worker (tests/conftest.py) writes its e-mail to files, which the test reads."""
    admin = make_user(Role.NATIONAL_ADMIN, None, "worker-admin")
    with transaction.atomic():
        _invitation, link = services.invitation_create(
            user=admin,
            email="worker.invitee@example.police.uk",
            name="Wyn Jones",
            job_title="Analyst",
            role="chief",
            force=forces["dyfed-powys"],
        )
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and link not in _mail_text(worker_mail_dir):
        time.sleep(0.3)
    text = _mail_text(worker_mail_dir)
    assert link in text, text[-3000:]
    assert link.startswith(settings.SITE_URL)
    assert "To: worker.invitee@example.police.uk" in text
    assert "Wyn Jones" in text


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_tells_administrators_of_an_access_request(
    celery_worker_process, worker_mail_dir, make_user, forces
):
    from people import sso

    admin = make_user(Role.NATIONAL_ADMIN, None, "worker-sso-admin")
    with transaction.atomic():
        sso.pending_record(
            provider="sso",
            uid="worker-newcomer",
            claims={"email": "rhys.newcomer@example.police.uk", "name": "Rhys Newcomer", "groups": ["g-unmapped"]},
        )
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and "g-unmapped" not in _mail_text(worker_mail_dir):
        time.sleep(0.3)
    text = _mail_text(worker_mail_dir)
    assert "g-unmapped" in text, text[-3000:]
    assert f"To: {admin.email}" in text
    assert "Rhys Newcomer" in text
