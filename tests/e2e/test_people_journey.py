"""Onboarding in the browser, as on a fresh production database: create_admin's one-time link, the
national administrator invites Kent's force administrator, who invites a PCC office member, who
lands in Kent with their name and job title. axe-core checks every page on the way."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command

from tests.e2e.conftest import assert_accessible

pytestmark = pytest.mark.e2e


@pytest.fixture
def eager_celery():
    from spr.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def _set_password(page, link: str, live_server, password: str) -> None:
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert page.get_by_role("heading", level=1).inner_text() == "Set your password"
    assert_accessible(page)
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Confirm your password").fill(password)
    page.get_by_role("button", name="Set password and continue").click()


def _invite(page, live_server, *, name, job_title, email, role, force) -> str:
    page.goto(f"{live_server.url}/people/invitations/new/")
    assert_accessible(page)
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Job title").fill(job_title)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_label("Force", exact=True).select_option(force)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check the invitation before sending it"
    assert_accessible(page)
    page.get_by_role("button", name="Send invitation").click()
    assert f"Invitation sent to {name}" in page.content()
    assert_accessible(page)
    message = next(m for m in reversed(mail.outbox) if m.to == [email])
    return re.search(r"http\S+/people/accept/\S+/", message.body).group(0)


def _sign_out(page):
    page.get_by_role("button", name=re.compile("Sign out")).click()


def test_create_admin_invites_a_force_admin_who_invites_a_member(page, live_server, forces, eager_celery):
    out = io.StringIO()
    call_command("create_admin", "--email", "ada@example.gov.uk", "--name", "Ada Lovelace", stdout=out)
    link = re.search(r"http\S+", out.getvalue()).group(0)

    _set_password(page, link, live_server, "copper-kettle-orbit-51")
    assert "Ada Lovelace" in page.content()
    page.get_by_role("link", name="People", exact=True).click()
    assert_accessible(page)

    invite = _invite(
        page,
        live_server,
        name="Ben Kowalski",
        job_title="Business support manager",
        email="ben@kent.police.uk",
        role="Force administrator",
        force="kent",
    )
    _sign_out(page)

    _set_password(page, invite, live_server, "walnut-harbour-lantern-22")
    assert "Ben Kowalski" in page.content()
    member = _invite(
        page,
        live_server,
        name="Hannah Clarke",
        job_title="Policy officer, OPCC",
        email="hannah@kent.police.uk",
        role="PCC office staff",
        force="kent",
    )
    page.goto(f"{live_server.url}/people/")
    assert "Ben Kowalski, Business support manager" in page.content()
    assert_accessible(page)
    _sign_out(page)

    _set_password(page, member, live_server, "saffron-meadow-piano-73")
    body = page.content()
    assert "Hannah Clarke" in body and "Kent Police" in body and "PCC office staff" in body
    assert_accessible(page)
