"""PCC office staff start this year's self-assessment from last year's, answer requirements with a
file and a link, record a departure and an action, and reach check answers; with and without
JavaScript, axe-core on every page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model

from assessments import services
from assessments.models import Action, Assessment, Evidence
from assessments.records import ResponseAnswer
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PDF_BYTES, make_assessment, make_link_evidence

pytestmark = pytest.mark.e2e

PDF_FILE = {"name": "Mutual aid test 2025.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


@pytest.fixture
def kent(forces, spr2012, settings, tmp_path):
    """Demo accounts, and Kent's 2024/25 assessment with one answer, an open action and a live departure."""
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_create()
    staff = get_user_model().objects.get(username="staff-kent")
    force = forces["kent"]
    last_year = make_assessment(user=staff, force=force, edition=spr2012, period="2024/25")
    plan = make_link_evidence(user=staff, force=force, title="Kent CONTEST plan")
    response = last_year.responses.get(requirement__ref="3.1(a)")
    services.response_update(
        user=staff,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(
            judgement="partially_assured",
            narrative="Last year: the regional plan was tested once.",
            evidence_ids=[plan.pk],
        ),
    )
    services.action_save(
        user=staff,
        assessment=last_year,
        requirement="6.4",
        gap="No joint exercise with the fire service.",
        description="Hold a joint exercise.",
        owner="Head of Operations",
        due_date=dt.date(2099, 3, 31),
    )
    services.departure_save(
        user=staff,
        assessment=last_year,
        requirement="4.1(c)",
        departing_party="chief_constable",
        circumstances="Provided by the regional unit.",
        reasons="Scale.",
        alternative_arrangements="Collaboration agreement.",
        residual_risk="Low.",
        review_date=dt.date(2099, 3, 31),
    )
    return settings.SPR_DEMO_PASSWORD


def _accessible_without_js(browser):
    """assert_accessible for a page rendered without JavaScript.

    axe-core needs JavaScript to run, so the no-JavaScript page's HTML is replayed, exactly as
    served, into a JavaScript-enabled page whose scripts are all blocked: axe then checks what a
    user without JavaScript gets (tabs shown as sections, the character count as a plain hint).
    """

    def check(page) -> None:
        html, url = page.content(), page.url
        context = browser.new_context(java_script_enabled=True, locale="en-GB")
        try:
            context.route("**/*.js", lambda route: route.abort())
            context.route(
                lambda address: address == url,
                lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
            )
            replay = context.new_page()
            replay.spr_csp_violations = []
            replay.goto(url)
            assert_accessible(replay)
        finally:
            context.close()

    return check


def _start_from_last_year(page, accessible=assert_accessible) -> None:
    page.get_by_role("link", name="Assessments", exact=True).first.click()
    assert "Kent Police" in page.content()
    accessible(page)
    page.get_by_role("button", name="Create an assessment").click()
    accessible(page)
    page.get_by_label("Reporting period").fill("2025/26")
    page.get_by_label("Start from last year's assessment").check()
    page.get_by_role("button", name="Create assessment").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kent Police: self-assessment 2025/26")
    assert "You have completed 0 of 38 requirements" in page.content()
    accessible(page)


def _open_requirement(page, ref: str, accessible=assert_accessible) -> None:
    page.locator(f"a.govuk-task-list__link[href$='/requirements/{ref}/']").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Requirement {ref}"
    accessible(page)


def _progress(page) -> str:
    return re.search(r"You have completed \d+ of \d+ requirements", page.content()).group(0)


def test_staff_start_answer_and_check_a_self_assessment(page, live_server, kent):
    sign_in(page, live_server, "staff-kent", kent)
    _start_from_last_year(page)

    # 3.1(a) carried over last year's narrative and evidence, but not its judgement.
    _open_requirement(page, "3.1(a)")
    assert page.get_by_label("Narrative").input_value() == "Last year: the regional plan was tested once."
    assert page.get_by_label("Kent CONTEST plan").is_checked()
    assert page.get_by_label("Not yet assessed").is_checked()
    page.get_by_label("Assured", exact=True).check()
    page.get_by_label("Narrative").fill("Tested at the regional exercise in March 2025; report attached.")
    page.get_by_text("Upload a file to the evidence library").click()
    page.get_by_label("File title").fill("Regional exercise report")
    page.get_by_label("Upload a file", exact=True).set_input_files(files=[PDF_FILE])
    page.get_by_role("button", name="Save and continue").click()

    # Save and continue goes to the next requirement in order.
    assert page.get_by_role("heading", level=1).inner_text() == "Requirement 3.1(b)"
    assert_accessible(page)
    page.get_by_label("Partially assured").check()
    page.get_by_label("Narrative").fill("Mutual aid works; the call-out list is out of date.")
    page.get_by_text("Add a link to the evidence library").click()
    page.get_by_label("Link title").fill("Mutual aid call-out list")
    page.get_by_label("Web address").fill("https://intranet.example.police.uk/mutual-aid")
    page.get_by_role("button", name="Save and continue").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Requirement 3.1(c)"
    page.get_by_label("Not assured").check()
    page.get_by_label("Narrative").fill("No capability yet.")
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.locator(".govuk-notification-banner--success").inner_text()
    assert "Evidence added" not in page.locator("#history ~ *").first.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Back to the task list").click()
    assert _progress(page) == "You have completed 3 of 38 requirements"
    assert_accessible(page)
    assert set(Evidence.objects.filter(force__code="kent").values_list("kind", flat=True)) == {"file", "link"}

    # The departures register: last year's live departure was carried over; record another.
    page.get_by_role("link", name="Departures register").click()
    assert "A departure is not a judgement" in page.content() and "4.1(c)" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Record a departure").click()
    assert_accessible(page)
    page.get_by_label("Requirement").select_option("5.1(a)")
    page.get_by_label("Police and crime commissioner", exact=True).check()
    page.get_by_label("Circumstances").fill("A neighbouring force provides the team.")
    page.get_by_label("Reasons").fill("Too small to sustain one.")
    page.get_by_label("Alternative arrangements").fill("Section 22A agreement.")
    page.get_by_label("Residual risk").fill("Up to two hours to deploy.")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Record departure").click()
    assert "Departure from 5.1(a) recorded" in page.content()
    assert_accessible(page)

    # The actions register: an error first, then the action.
    page.get_by_role("link", name="Kent Police 2025/26", exact=True).click()
    page.get_by_role("link", name="Actions register").click()
    page.get_by_role("button", name="Add an action").click()
    page.get_by_role("button", name="Add action").click()
    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    assert_accessible(page)
    page.get_by_label("Requirement").select_option("6.4")
    page.get_by_label("Gap").fill("The plan has not been tested.")
    page.get_by_label("What will be done").fill("Test it with the fire service.")
    page.get_by_label("Or the name of an owner outside the service").fill("Head of Operations")
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Add action").click()
    assert "Due date must be today or in the future" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Year").fill("2099")
    page.get_by_role("button", name="Add action").click()
    assert "Action on 6.4 recorded" in page.content()
    # time passes: the action is now past its due date, and the register says so
    Action.objects.filter(gap="The plan has not been tested.").update(due_date=dt.date(2020, 1, 1))
    page.reload()
    assert page.locator(".govuk-tag--red", has_text="Overdue").count() == 1
    assert_accessible(page)

    # Check answers lists what is left.
    page.get_by_role("link", name="Kent Police 2025/26", exact=True).click()
    page.get_by_role("link", name="Check your answers").click()
    assert "35 requirements are not completed yet" in page.content()
    assert_accessible(page)
    assessment = Assessment.objects.get(force__code="kent", period="2025/26")
    assert assessment.departures.count() == 2 and assessment.actions.count() == 2


def test_the_core_path_works_without_javascript(nojs_page, browser, live_server, kent):
    page = nojs_page
    accessible = _accessible_without_js(browser)
    sign_in(page, live_server, "staff-kent", kent)
    _start_from_last_year(page, accessible)

    _open_requirement(page, "3.2(a)(i)", accessible)
    page.get_by_label("Assured", exact=True).check()
    # Without JavaScript the character count is a plain hint, and the server still checks the length.
    assert "You can enter up to 10000 characters" in page.content()
    page.get_by_label("Narrative").fill("Tested in March.")
    page.get_by_text("Upload a file to the evidence library").click()
    page.get_by_label("File title").fill("Exercise report")
    page.get_by_label("Upload a file", exact=True).set_input_files(files=[PDF_FILE])
    page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Requirement 3.2(a)(ii)"
    accessible(page)

    # A bad link is refused with an error summary and nothing is saved.
    page.get_by_label("Assured", exact=True).check()
    page.get_by_text("Add a link to the evidence library").click()
    page.get_by_label("Link title").fill("Bad link")
    page.get_by_label("Web address").fill("javascript:alert(1)")
    page.get_by_role("button", name="Save as draft").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter a web address in the correct format, like https://www.example.police.uk" in summary
    accessible(page)

    page.get_by_role("link", name="Back to the task list").click()
    assert _progress(page) == "You have completed 1 of 38 requirements"
    page.get_by_role("link", name="Check your answers").click()
    assert "37 requirements are not completed yet" in page.content()
    accessible(page)
    assert Evidence.objects.filter(force__code="kent", kind="file").count() == 1
    assert not Evidence.objects.filter(title="Bad link").exists()
