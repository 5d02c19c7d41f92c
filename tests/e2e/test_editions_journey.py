"""Issue 15 in Chromium: the national administrator uploads a broken edition file (every problem
listed with its line, nothing loaded), then the fixture edition derived from 2012; reads its changes;
confirms one requirement's suggested mapping on the page, maps every threat on the page (five that
continue, one new), uploads the rest as a mapping file and publishes the edition. Then Dyfed-Powys
starts 2026/27 from last year across the change and finds its narrative on the mapped requirement and
the new one listed. axe-core runs on every page visited."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from assessments import services
from assessments.records import ResponseAnswer
from demo.accounts import demo_accounts_create
from tests.capabilities.editions_support import FIXTURE_EDITION, FIXTURE_MAPPING
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import make_assessment
from threats.models import Edition, ThreatMapping

pytestmark = pytest.mark.e2e


def test_national_admin_loads_maps_and_publishes_an_edition(page, live_server, forces, spr2012, settings, tmp_path):
    demo_accounts_create()
    staff = get_user_model().objects.get(username="staff-dyfed-powys")
    last_year = make_assessment(user=staff, force=forces["dyfed-powys"], edition=spr2012, period="2025/26")
    response = last_year.responses.get(requirement__ref="3.1(a)")
    services.response_update(
        user=staff,
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(judgement="assured", narrative="Roles agreed with the commissioner in May"),
    )

    sign_in(page, live_server, "admin", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/editions/")
    page.get_by_role("link", name="Upload an edition").click()
    assert_accessible(page)

    broken = tmp_path / "broken.yaml"
    text = FIXTURE_EDITION.read_text(encoding="utf-8")
    broken.write_text(text.replace("  title: Test edition", "  title: ''\n  colour: Test edition", 1))
    title_line = broken.read_text().splitlines().index("  title: ''") + 1
    page.get_by_label("Upload an edition file").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    assert page.title().startswith("Error: ")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert f"Line {title_line}: edition: title is empty" in summary
    assert "unknown key colour" in summary
    assert not Edition.objects.filter(code="spr-fixture").exists()
    assert_accessible(page)

    page.get_by_label("Upload an edition file").set_input_files(str(FIXTURE_EDITION))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("heading", name="Changes since The Strategic Policing Requirement (July 2012)").wait_for()
    assert "review them every year;" in " ".join(page.locator("ins").all_inner_texts())
    assert "harm;" in " ".join(page.locator("del").all_inner_texts())
    assert_accessible(page)

    page.get_by_role("link", name="Map to the previous edition").click()
    assert "things still to map" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Map requirement 3.1(a)").click()
    assert page.get_by_label("3.1(a)", exact=True).is_checked()  # suggested from similar wording
    assert_accessible(page)
    page.get_by_label("It means the same, so forces' judgements carry over").check()
    page.get_by_role("button", name="Confirm mapping").click()
    assert "The mapping of 3.1(a) was saved." in page.content()

    # The threats, on the page: the five that continue with the same meaning (suggested from their
    # wording), and the new one, which continues nothing.
    for name in ["Terrorism", "Civil emergencies", "Organised crime", "Public order and public safety"]:
        page.get_by_role("link", name=f"Map threat {name}", exact=True).click()
        assert page.get_by_label(name, exact=True).is_checked()
        page.get_by_label("It means the same, so forces' judgements carry over").check()
        page.get_by_role("button", name="Confirm mapping").click()
    page.get_by_role("link", name="Map threat Large-scale cyber incident").click()
    assert page.get_by_label("Large-scale cyber incident", exact=True).is_checked()
    assert_accessible(page)
    page.get_by_label("It means the same, so forces' judgements carry over").check()
    page.get_by_role("button", name="Confirm mapping").click()
    assert "The mapping of cyber was saved." in page.content()
    page.get_by_role("link", name="Map threat Child sexual abuse (test)").click()
    assert page.get_by_role("heading", name="Child sexual abuse (test)").is_visible()
    assert not any(box.is_checked() for box in page.locator("input[name=previous]").all())
    assert_accessible(page)
    page.get_by_role("button", name="Confirm mapping").click()
    assert "The mapping of child-sexual-abuse was saved." in page.content()
    threats = page.locator("table").first
    assert "6 of 6 mapped" in page.content()
    new_row = threats.get_by_role("row").filter(has_text="Child sexual abuse (test)").inner_text()
    assert "Nothing: it is new" in new_row and "New" in new_row
    assert "Same meaning" in threats.get_by_role("row").filter(has_text="Terrorism").inner_text()
    assert_accessible(page)
    assert ThreatMapping.objects.filter(threat__edition__code="spr-fixture", same_meaning=True).count() == 5

    # The requirements' mapping as a file (it says the same of the threats).
    page.get_by_label("Upload a mapping file").set_input_files(str(FIXTURE_MAPPING))
    page.get_by_role("button", name="Upload mapping").click()
    assert "The mapping is complete." in page.content()
    assert_accessible(page)

    page.get_by_role("link", name="Publish the edition").click()
    assert_accessible(page)
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Publish").click()
    assert "was published." in page.content()
    assert Edition.objects.get(code="spr-fixture").status == "in_force"
    assert_accessible(page)

    # Dyfed-Powys starts the next period from last year, across the change.
    sign_in(page, live_server, "staff-dyfed-powys", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/assessments/new/")
    assert_accessible(page)
    page.get_by_label("Reporting period").fill("2026/27")
    page.get_by_label("Start from last year's assessment").check()
    page.get_by_label("Keep last year's judgements").check()
    page.get_by_role("button", name="Create assessment").click()
    page.get_by_role("heading", name="New in this edition").wait_for()
    assert "Test edition derived from the 2012 Strategic Policing Requirement" in page.content()
    banner = page.locator("#new-requirements").inner_text()
    assert "1 requirement is new since The Strategic Policing Requirement (July 2012)" in banner and "6.7" in banner
    assert_accessible(page)
    page.goto(f"{live_server.url}{page.url.removeprefix(live_server.url)}requirements/3.1(a)/")
    assert "Roles agreed with the commissioner in May" in page.content()
    assert_accessible(page)

    # The chief constable's dashboard compares 2026/27 with 2025/26 through the mapping, and says so.
    sign_in(page, live_server, "chief-dyfed-powys", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    marker = page.locator("#edition-break").inner_text()
    assert (
        "From 2026/27 assessments use Test edition derived from the 2012 Strategic Policing Requirement (March 2026); "
        "earlier periods used The Strategic Policing Requirement (July 2012)."
    ) in marker
    assert page.locator("#edition-break-trends").count() == 1
    assert_accessible(page)


def test_chief_constable_sees_both_edition_changes(page, live_server, forces, spr2012, settings):
    """Three periods against three editions (spr-2012, the fixture, the second fixture): the dashboard
    marks both changes, on the heat map and the trends, and stays accessible."""
    from tests.capabilities.editions_support import publish_fixture_edition, publish_second_fixture_edition

    demo_accounts_create()
    admin = get_user_model().objects.get(username="admin")
    staff = get_user_model().objects.get(username="staff-dyfed-powys")
    first = publish_fixture_edition(admin)
    second = publish_second_fixture_edition(admin)
    for edition, period in [(spr2012, "2025/26"), (first, "2026/27"), (second, "2027/28")]:
        make_assessment(user=staff, force=forces["dyfed-powys"], edition=edition, period=period)

    sign_in(page, live_server, "chief-dyfed-powys", settings.SPR_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")

    for marker in (page.locator("#edition-break").inner_text(), page.locator("#edition-break-trends").inner_text()):
        assert "Edition changes" in marker
        assert (
            "From 2026/27 assessments use Test edition derived from the 2012 Strategic Policing Requirement" in marker
        )
        assert "From 2027/28 assessments use Second test edition, following the first test edition" in marker
    assert_accessible(page)
