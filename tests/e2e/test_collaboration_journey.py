"""Issue 17 as a new user would try it: Kent records a collaboration agreement with Essex (both in
ERSOU, data/forces_rocu.csv), shares one evidence item under it; Essex confirms the agreement, cites
the item in its own response and downloads it; West Midlands gets 404 on it. axe-core on every page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Evidence
from collaboration.models import Agreement
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import PDF_BYTES, make_assessment, make_file_evidence, pdf_upload

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(forces, spr2012, settings, tmp_path):
    """Demo accounts; a file in Kent's library; Essex's draft assessment."""
    settings.MEDIA_ROOT = tmp_path
    demo_accounts_create()
    users = get_user_model().objects
    item = make_file_evidence(
        user=users.get(username="staff-kent"),
        force=forces["kent"],
        title="ERSOU tasking report",
        upload=pdf_upload("ersou-tasking.pdf"),
    )
    assessment = make_assessment(user=users.get(username="staff-essex"), force=forces["essex"], edition=spr2012)
    return {"password": settings.SPR_DEMO_PASSWORD, "item": item, "assessment": assessment}


def _record_agreement(page) -> None:
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    assert_accessible(page)
    page.get_by_role("button", name="Record an agreement").click()
    assert_accessible(page)
    # Sent empty first: the GOV.UK error summary, and nothing written.
    page.get_by_role("button", name="Record agreement").click()
    assert page.title().startswith("Error: ")
    assert "Enter a title" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Title").fill("ERSOU collaboration agreement")
    page.get_by_label("Section 22A of the Police Act 1996 (collaboration agreement)").check()
    page.get_by_label("Essex Police", exact=True).check()
    page.get_by_label("SPR requirements it delivers").fill("4.1(c), 6.1")
    page.locator("#id_start_date_day").fill("1")
    page.locator("#id_start_date_month").fill("4")
    page.locator("#id_start_date_year").fill("2024")
    page.locator("#id_review_date_day").fill("31")
    page.locator("#id_review_date_month").fill("3")
    page.locator("#id_review_date_year").fill("2099")
    page.get_by_role("button", name="Record agreement").click()
    assert page.get_by_role("heading", level=1).inner_text() == "ERSOU collaboration agreement"
    assert "Waiting for confirmation" in page.content()
    assert_accessible(page)


def test_kent_shares_evidence_under_an_agreement_that_essex_cites_and_downloads(page, live_server, demo):
    item = demo["item"]
    sign_in(page, live_server, "staff-kent", demo["password"])
    _record_agreement(page)
    agreement = Agreement.objects.get()

    # Kent shares the file under the agreement from its page in the evidence library.
    page.goto(f"{live_server.url}/evidence/{item.pk}/")
    assert "Not shared: only your force can see it." in page.content()
    page.get_by_role("button", name="Share this evidence").click()
    assert_accessible(page)
    page.get_by_label("Share under a collaboration agreement").select_option(str(agreement.pk))
    page.get_by_role("button", name="Share evidence").click()
    assert "has been shared" in page.content()
    assert "Essex Police" in page.locator("ul.govuk-list--bullet").inner_text()
    assert_accessible(page)

    # Essex confirms its part, finds the item in its library, downloads it and cites it.
    sign_in(page, live_server, "staff-essex", demo["password"])
    page.get_by_role("link", name="Agreements", exact=True).first.click()
    page.get_by_role("link", name="ERSOU collaboration agreement").click()
    page.get_by_role("button", name="Confirm this agreement").click()
    assert "You have confirmed Essex Police" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Evidence library", exact=True).first.click()
    assert "Shared by Kent Police" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="ERSOU tasking report").click()
    assert "only Kent Police can change it" in page.content()
    assert page.get_by_role("button", name="Share this evidence").count() == 0
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ersou-tasking.pdf").click()
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF_BYTES

    page.goto(f"{live_server.url}/assessments/{demo['assessment'].pk}/")
    assert "Delivered under agreement: ERSOU collaboration agreement" in page.content()
    assert_accessible(page)
    page.locator("a.govuk-task-list__link[href$='/requirements/4.1(c)/']").first.click()
    page.get_by_label("Assured", exact=True).check()
    page.get_by_label("Narrative").fill("ERSOU conducts our complex cross-border investigations.")
    page.get_by_label("ERSOU tasking report").check()
    page.get_by_role("button", name="Save as draft").click()
    assert "saved as a draft" in page.content()
    assert page.get_by_label("ERSOU tasking report").is_checked()
    assert "Shared by Kent Police" in page.content()
    assert_accessible(page)
    response = demo["assessment"].responses.get(requirement__ref="4.1(c)")
    assert list(response.evidence.values_list("pk", flat=True)) == [item.pk]
    item.refresh_from_db()
    assert item.title == "ERSOU tasking report" and item.force.code == "kent"

    # West Midlands is party to nothing: 404 on the page, the download and the API.
    sign_in(page, live_server, "staff-west-midlands", demo["password"])
    for path in (f"/evidence/{item.pk}/", f"/evidence/{item.pk}/download/", f"/api/v1/evidence/{item.pk}/"):
        answer = page.goto(f"{live_server.url}{path}")
        assert answer.status == 404, path
    page.goto(f"{live_server.url}/evidence/{item.pk}/")
    assert_accessible(page)
    page.goto(f"{live_server.url}/agreements/{agreement.pk}/")
    assert "ERSOU" not in page.content()
    assert Evidence.objects.get(pk=item.pk).shared_with.get().code == "essex"
