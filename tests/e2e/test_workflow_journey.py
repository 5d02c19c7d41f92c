"""The accountability chain in the browser: PCC office staff submit Kent's assessment, the chief
constable responds, the PCC challenges one response, the chief constable replies, the PCC closes the
challenge, signs off and publishes, and an HMIC inspector reads it. Each person has their own browser
context; the chief constable's has JavaScript switched off, so the chain is proved to work without it.
axe-core runs on every page visited."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Assessment, AssessmentStatus, Challenge, Snapshot
from core.people import display_name
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import _new_page, assert_accessible, sign_in
from tests.e2e.test_self_assessment_journey import _accessible_without_js
from tests.workflow_support import assessment_in

pytestmark = pytest.mark.e2e

REF = "3.1(a)"


@pytest.fixture
def kent_draft(forces, spr2012, settings):
    """The demo accounts and Kent's 2025/26 draft with every requirement answered."""
    demo_accounts_create()
    users = get_user_model().objects
    assessment = assessment_in(
        AssessmentStatus.DRAFT,
        force=forces["kent"],
        edition=spr2012,
        staff=users.get(username="staff-kent"),
        chief=users.get(username="chief-kent"),
        pcc=users.get(username="pcc-kent"),
    )
    return assessment, settings.SPR_DEMO_PASSWORD


@pytest.fixture
def person(browser, live_server, transactional_db):
    """person(username, password, javascript=True) -> a page signed in as them, in a context of their own."""
    contexts = []

    def _open(username: str, password: str, *, javascript: bool = True):
        context, page = _new_page(browser, javascript=javascript)
        contexts.append(context)
        sign_in(page, live_server, username, password)
        return page

    yield _open
    for context in contexts:
        context.close()


def _home(page, live_server, accessible=assert_accessible) -> str:
    page.goto(f"{live_server.url}/")
    accessible(page)
    return page.locator("#waiting ~ ul, #waiting ~ p").first.inner_text()


def _success(page) -> str:
    return page.locator(".govuk-notification-banner--success").inner_text()


def _status(assessment: Assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def test_the_accountability_chain_from_submission_to_hmic(browser, live_server, kent_draft, person):
    assessment, password = kent_draft
    task_list = f"{live_server.url}/assessments/{assessment.pk}/"

    # PCC office staff: check the answers and submit to the chief constable.
    staff = person("staff-kent", password)
    assert "Check your answers and submit to the chief constable" in _home(staff, live_server)
    staff.get_by_role("link", name=re.compile("Check your answers and submit")).click()
    assert staff.get_by_role("heading", level=1).inner_text() == "Check your answers before submitting the assessment"
    assert_accessible(staff)
    staff.get_by_role("button", name="Submit to the chief constable").click()
    assert "submitted to the chief constable" in _success(staff)
    assert_accessible(staff)
    assert _status(assessment) == AssessmentStatus.SUBMITTED

    # The chief constable, without JavaScript: respond from "waiting for you".
    chief = person("chief-kent", password, javascript=False)
    chief_accessible = _accessible_without_js(browser)
    assert "Give the chief constable's response" in _home(chief, live_server, chief_accessible)
    chief.get_by_role("link", name=re.compile("Give the chief constable's response")).click()
    chief_accessible(chief)
    chief.get_by_label("Chief constable's statement").fill("Kent meets the SPR; the CBRN gap is in hand.")
    chief.get_by_role("button", name="Give the response").click()
    assert "response has been given" in _success(chief)
    assert "Kent meets the SPR; the CBRN gap is in hand." in chief.locator("#statements").inner_text()
    chief_accessible(chief)

    # The PCC challenges one response.
    pcc = person("pcc-kent", password)
    pcc.goto(task_list)
    assert_accessible(pcc)
    pcc.locator(f"a.govuk-task-list__link[href$='/requirements/{REF}/']").first.click()
    assert pcc.get_by_role("heading", level=1).inner_text() == f"Requirement {REF}"
    assert_accessible(pcc)
    pcc.get_by_label("Challenge", exact=True).fill("When was the regional plan last tested with the fire service?")
    pcc.get_by_role("button", name="Raise a challenge").click()
    assert f"challenge on {REF} has been raised" in _success(pcc)
    assert_accessible(pcc)
    challenge = Challenge.objects.get()

    # The chief constable replies from "waiting for you".
    assert f"Reply to the challenge on requirement {REF}" in _home(chief, live_server, chief_accessible)
    chief.get_by_role("link", name=re.compile(f"Reply to the challenge on requirement {re.escape(REF)}")).click()
    chief.get_by_label("Reply", exact=True).fill("In March 2025: see the exercise report.")
    chief.get_by_role("button", name="Add reply").click()
    assert "reply has been added" in _success(chief)
    chief_accessible(chief)

    # The PCC considers the reply and closes the challenge.
    assert f"Consider the chief constable's reply on requirement {REF}" in _home(pcc, live_server)
    pcc.get_by_role("link", name=re.compile("Consider the chief constable's reply")).click()
    thread = pcc.locator(f"#challenge-{challenge.pk}")
    assert "In March 2025: see the exercise report." in thread.inner_text()
    thread.get_by_text("Close this challenge").click()
    thread.get_by_label("Closing note (optional)").fill("Satisfied by the exercise report.")
    thread.get_by_role("button", name="Close the challenge").click()
    assert "has been closed" in _success(pcc)
    assert pcc.locator(f"#challenge-{challenge.pk} .govuk-tag", has_text="Closed").count() == 1
    assert_accessible(pcc)

    # The PCC signs off with the annual assurance statement.
    assert "Consider the chief constable's response and sign off" in _home(pcc, live_server)
    pcc.get_by_role("link", name=re.compile("Consider the chief constable's response and sign off")).click()
    assert pcc.get_by_role("heading", level=1).inner_text() == "Sign off the assessment"
    assert_accessible(pcc)
    pcc.get_by_label("Annual assurance statement").fill("I am assured, subject to the actions recorded.")
    pcc.get_by_role("button", name="Sign off", exact=True).click()
    assert "signed off" in _success(pcc)
    assert_accessible(pcc)

    # ... and publishes to HMIC, after confirming.
    pcc.get_by_role("button", name="Publish to HMIC").click()
    assert pcc.get_by_role("heading", level=1).inner_text() == "Publish to HMIC"
    assert_accessible(pcc)
    pcc.get_by_role("button", name="Publish to HMIC").click()
    assert "published to HMIC" in _success(pcc)
    banner = pcc.locator("#published-banner").inner_text()
    # The signatory is named "Name, job title", never by login.
    signatory = re.escape(display_name(get_user_model().objects.get(username="pcc-kent")))
    assert re.match(rf"Published on \d+ \w+ \d{{4}} by {signatory}\. This version cannot change\.", banner)
    assert Snapshot.objects.get(assessment=assessment).sha256 == pcc.locator("#snapshot-sha").inner_text()
    assert_accessible(pcc)
    assert _status(assessment) == AssessmentStatus.PUBLISHED

    # The HMIC inspector finds it in the assessments list and reads it.
    inspector = person("inspector", password)
    assert "Read the published assessment" in _home(inspector, live_server)
    inspector.get_by_role("link", name="Assessments", exact=True).first.click()
    assert_accessible(inspector)
    inspector.get_by_role("link", name=re.compile("Kent Police")).click()
    assert inspector.get_by_role("heading", level=1).inner_text().startswith("Kent Police: self-assessment 2025/26")
    assert "This version cannot change." in inspector.locator("#published-banner").inner_text()
    assert "Kent meets the SPR" in inspector.locator("#statements").inner_text()
    assert "I am assured, subject to the actions recorded." in inspector.locator("#statements").inner_text()
    assert_accessible(inspector)
    inspector.get_by_role("link", name="History and audit trail").click()
    assert "Moved from Signed off to Published" in inspector.content()
    assert_accessible(inspector)
