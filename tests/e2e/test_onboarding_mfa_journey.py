"""Issue 12's "Done when", tried as a new user would, on a production-shaped setting (a second factor
required of everyone): create_admin's one-time link → the national administrator sets a password,
enrols TOTP (the code computed here from the key the page shows as text), maps a single sign-on
group and invites Kent's force administrator → they accept, enrol TOTP and invite a PCC office
member → that member accepts, signs in, enrols TOTP and saves an answer in Kent's draft. axe-core
checks every page on the way."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from assessments.models import Assessment
from core.roles import Role
from people.models import SsoGroupMapping
from tests.e2e.conftest import assert_accessible, sign_in
from tests.e2e.test_people_journey import _invite, _set_password, _sign_out
from tests.e2e.test_people_journey import eager_celery as eager_celery  # noqa: F401 — a fixture, used by name
from tests.e2e.test_signin_journey import current_code
from tests.factories import make_assessment

pytestmark = pytest.mark.e2e


def _enrol_totp(page, password: str) -> None:
    """From wherever the service sent a person without an authenticator: set one up."""
    if "/reauthenticate/" in page.url:
        assert_accessible(page)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name=re.compile("Confirm|Continue")).click()
    assert "/2fa/totp/activate/" in page.url, page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Set up your authenticator app"
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#totp-secret").inner_text().strip()
    page.get_by_label("Authenticator code").fill(current_code(secret))
    page.get_by_role("button", name="Set up").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Your recovery codes", page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Continue to the service").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome")


def test_from_create_admin_to_a_saved_answer_with_mfa_required(
    page, live_server, forces, spr2012, make_user, settings, eager_celery, tmp_path
):
    settings.SPR_REQUIRE_MFA = True
    settings.MEDIA_ROOT = tmp_path
    author = make_user(Role.PCC_STAFF, "kent", "kent-author")
    draft = make_assessment(user=author, force=forces["kent"], edition=spr2012, period="2025/26")

    out = io.StringIO()
    call_command("create_admin", "--email", "ada@example.gov.uk", "--name", "Ada Lovelace", stdout=out)
    link = re.search(r"http\S+", out.getvalue()).group(0)

    # The national administrator: password, then the second factor before anything else.
    _set_password(page, link, live_server, "copper-kettle-orbit-51")
    page.goto(f"{live_server.url}/people/")
    _enrol_totp(page, "copper-kettle-orbit-51")

    # They map an Entra ID group to Kent's PCC office staff, on the single sign-on groups page.
    page.goto(f"{live_server.url}/people/")
    assert_accessible(page)
    page.get_by_role("link", name="Single sign-on groups").click()
    assert_accessible(page)
    page.get_by_role("button", name="Map a group").click()
    page.get_by_role("button", name="Map group").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Group claim value").fill("0f3c6a2e-kent-opcc")
    page.get_by_label("PCC office staff", exact=True).check()
    page.get_by_label("Force", exact=True).select_option("kent")
    page.get_by_role("button", name="Map group").click()
    assert "Group 0f3c6a2e-kent-opcc mapped" in page.content()
    assert_accessible(page)
    assert SsoGroupMapping.objects.get().force.code == "kent"

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

    # Kent's force administrator.
    _set_password(page, invite, live_server, "walnut-harbour-lantern-22")
    _enrol_totp(page, "walnut-harbour-lantern-22")
    member = _invite(
        page,
        live_server,
        name="Hannah Clarke",
        job_title="Policy officer, OPCC",
        email="hannah@kent.police.uk",
        role="PCC office staff",
        force="kent",
    )
    _sign_out(page)

    # The PCC office member: accepts, signs in, enrols, and edits Kent's draft.
    _set_password(page, member, live_server, "saffron-meadow-piano-73")
    assert "/2fa/totp/activate/" in page.url or "/reauthenticate/" in page.url, page.url
    _sign_out(page)
    sign_in(page, live_server, "hannah@kent.police.uk", "saffron-meadow-piano-73")
    _enrol_totp(page, "saffron-meadow-piano-73")
    assert "Hannah Clarke" in page.content() and "Kent Police" in page.content()

    page.goto(f"{live_server.url}/assessments/{draft.pk}/requirements/3.1(a)/")
    assert page.get_by_role("heading", level=1).inner_text() == "Requirement 3.1(a)"
    assert_accessible(page)
    page.get_by_label("Partially assured").check()
    page.get_by_label("Narrative").fill("The regional plan was tested once, in March.")
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.locator(".govuk-notification-banner--success").inner_text()
    assert_accessible(page)
    saved = Assessment.objects.get(pk=draft.pk).responses.get(requirement__ref="3.1(a)")
    assert saved.narrative == "The regional plan was tested once, in March."
    assert saved.updated_by.get_full_name() == "Hannah Clarke"
