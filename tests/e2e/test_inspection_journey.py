"""An HMIC inspector raises an evidence request and a finding for Kent; Kent's staff answer the
request with an item of their evidence library and respond to the finding; the inspector sees both
answers and West Midlands sees neither. axe-core runs on every page visited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.accounts import demo_accounts_create
from forces.models import Force
from tests.e2e.conftest import assert_accessible, sign_in
from tests.factories import make_link_evidence

pytestmark = pytest.mark.e2e


def test_inspector_asks_kent_and_kent_answers(page, live_server, forces, spr2012, settings):
    demo_accounts_create()
    kent_staff = get_user_model().objects.get(username="staff-kent")
    make_link_evidence(user=kent_staff, force=Force.objects.get(code="kent"), title="Joint operation review 2025")
    password = settings.SPR_DEMO_PASSWORD
    due = timezone.localdate() + dt.timedelta(days=14)

    sign_in(page, live_server, "inspector", password)
    page.goto(f"{live_server.url}/inspection/requests/")
    assert_accessible(page)
    page.get_by_role("button", name="Request evidence").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send request").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Force", exact=True).select_option("kent")
    page.get_by_label("What evidence you are asking for").fill("Send your joint operation reviews with the ROCU")
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("checkbox", name=re.compile(r"^4\.1\(c\) ")).check()
    page.get_by_role("button", name="Send request").click()
    assert "Evidence request sent to Kent Police" in page.content()
    assert "Open" in page.locator("h1").inner_text()
    assert_accessible(page)
    request_url = page.url

    page.goto(f"{live_server.url}/inspection/findings/")
    page.get_by_role("button", name="Record a finding").click()
    page.get_by_label("Force", exact=True).select_option("kent")
    page.get_by_label("Area for improvement").check()
    page.get_by_label("Finding", exact=True).fill("Cyber investigations depend on too few people")
    page.get_by_label("Requirement (optional)").select_option(
        value=page.locator("#id_requirement option", has_text=re.compile(r"^4\.1\(c\) ")).first.get_attribute("value")
    )
    assert_accessible(page)
    page.get_by_role("button", name="Record finding").click()
    assert "Finding recorded for Kent Police" in page.content()
    finding_url = page.url

    sign_in(page, live_server, "staff-kent", password)
    page.goto(f"{live_server.url}/")
    assert "Answer an evidence request" in page.locator("#inspection-waiting ~ ul").first.inner_text()
    assert_accessible(page)
    page.goto(f"{live_server.url}/dashboard/")
    assert "Send your joint operation reviews with the ROCU" in page.locator("#inspection ~ *").all_inner_texts()[1]
    assert_accessible(page)
    page.goto(request_url)
    page.get_by_role("button", name="Answer this request").click()
    assert_accessible(page)
    page.get_by_label("Joint operation review 2025").check()
    page.get_by_label("Note to the inspector").fill("The review is in our library")
    page.get_by_role("button", name="Send answer").click()
    assert "Answered" in page.locator("h1").inner_text()
    assert_accessible(page)
    page.goto(finding_url)
    page.get_by_role("button", name="Respond to this finding").click()
    page.get_by_label("Your response").fill("We are training four more investigators")
    page.get_by_role("button", name="Send response").click()
    assert "We are training four more investigators" in page.content()
    assert_accessible(page)

    sign_in(page, live_server, "inspector", password)
    page.goto(request_url)
    assert "Joint operation review 2025" in page.content() and "The review is in our library" in page.content()
    page.get_by_role("button", name="Accept the answer").click()
    assert "Accepted" in page.locator("h1").inner_text()
    page.goto(f"{live_server.url}/national/#inspection")
    assert "Kent Police" in page.locator("#inspection ~ table").last.inner_text()
    assert_accessible(page)

    # The registers reflow at 320 px (WCAG 1.4.10) rather than scroll sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/inspection/requests/", "/inspection/findings/", "/national/"):
        page.goto(f"{live_server.url}{path}")
        if path != "/national/":
            assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    inspection_tables = page.locator("#inspection ~ table")
    for index in range(inspection_tables.count()):
        table = inspection_tables.nth(index)
        assert table.evaluate("el => el.scrollWidth <= el.parentElement.clientWidth + 1"), index
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "staff-west-midlands", password)
    for url in (request_url, finding_url):
        assert page.goto(url).status == 404
    page.goto(f"{live_server.url}/inspection/findings/")
    assert "Cyber investigations depend on too few people" not in page.content()
