"""Named owners and "My tasks" in the browser: a PCC office member assigns an action and a
requirement to a colleague (chosen by name and job title), and the colleague signs in and finds both
under "My tasks", from where the action opens. axe-core runs on every page visited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments.models import Action
from core.roles import Role, grant
from demo.accounts import demo_accounts_create
from forces.models import Force, Membership
from people.models import Profile
from tests.e2e.conftest import _new_page, assert_accessible, sign_in
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e


@pytest.fixture
def kent(forces, spr2012, settings):
    """The demo accounts, Kent's 2025/26 draft, and a colleague in Kent's PCC office."""
    demo_accounts_create()
    users = get_user_model().objects
    force = Force.objects.get(code="kent")
    assessment = make_assessment(user=users.get(username="staff-kent"), force=force, edition=spr2012)
    colleague = users.create_user(
        username="colleague-kent", password=settings.SPR_DEMO_PASSWORD, first_name="Priya Shah"
    )
    grant(colleague, Role.PCC_STAFF)
    Membership.objects.create(user=colleague, force=force)
    Profile.objects.update_or_create(user=colleague, defaults={"job_title": "Head of Public Order"})
    return assessment, settings.SPR_DEMO_PASSWORD


def test_an_action_assigned_to_a_colleague_is_under_their_my_tasks(browser, live_server, kent):
    assessment, password = kent
    due = timezone.localdate() + dt.timedelta(days=45)

    # The PCC office member records an action and names a colleague as its owner.
    context, staff = _new_page(browser, javascript=True)
    sign_in(staff, live_server, "staff-kent", password)
    staff.goto(f"{live_server.url}/assessments/{assessment.pk}/actions/")
    staff.get_by_role("button", name="Add an action").click()
    assert_accessible(staff)
    staff.get_by_label("Requirement").select_option("3.1(a)")
    staff.get_by_label("Gap").fill("Public order cover fell short for 11 days.")
    staff.get_by_label("What will be done").fill("Review the rota with the region.")
    staff.get_by_label("Owner", exact=True).select_option(label="Priya Shah, Head of Public Order")
    staff.get_by_label("Day").fill(str(due.day))
    staff.get_by_label("Month").fill(str(due.month))
    staff.get_by_label("Year").fill(str(due.year))
    staff.get_by_role("button", name="Add action").click()
    assert "Action on 3.1(a) recorded" in staff.content()
    assert "Priya Shah, Head of Public Order" in staff.locator("table").inner_text()
    assert_accessible(staff)
    # ...and makes the colleague the owner of a requirement, on its page.
    staff.goto(f"{live_server.url}/assessments/{assessment.pk}/requirements/3.1(b)/")
    staff.get_by_label("Owner", exact=True).select_option(label="Priya Shah, Head of Public Order")
    staff.get_by_role("button", name="Assign owner").click()
    assert "Requirement 3.1(b) is now owned by Priya Shah, Head of Public Order" in staff.content()
    assert_accessible(staff)
    context.close()
    action = Action.objects.get()
    assert action.owner_user.username == "colleague-kent"

    # The colleague signs in and finds it under "My tasks", with its due date.
    context, colleague = _new_page(browser, javascript=True)
    sign_in(colleague, live_server, "colleague-kent", password)
    colleague.get_by_role("link", name="My tasks").click()
    assert colleague.get_by_role("heading", level=1).inner_text() == "My tasks"
    row = colleague.locator("#my-tasks tbody tr").filter(has_text="Action on 3.1(a)")
    assert row.count() == 1
    assert f"{due.day} {due:%B %Y}" in row.inner_text()
    assert "Kent Police 2025/26" in row.inner_text()
    assert colleague.locator("#my-tasks tbody tr").filter(has_text="Answer requirement 3.1(b)").count() == 1
    assert_accessible(colleague)
    colleague.set_viewport_size({"width": 320, "height": 800})  # the table reflows (WCAG 1.4.10)
    assert colleague.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    colleague.set_viewport_size({"width": 1280, "height": 900})
    row.get_by_role("link", name=re.compile("Action on 3.1\\(a\\)")).click()
    assert colleague.get_by_role("heading", level=1).inner_text() == "Change the action on 3.1(a)"
    assert_accessible(colleague)
    context.close()
