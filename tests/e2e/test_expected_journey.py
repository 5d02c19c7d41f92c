"""A national administrator sets an expected contribution with the form, uploads a CSV with a bad
row (refused, the row named), then a good one; the national view shows coverage and the
illustrative label. axe-core runs on every page visited."""

from __future__ import annotations

import pytest

from capabilities.services import capacity_capabilities_load
from demo.accounts import demo_accounts_create
from tests.e2e.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

BAD = "force_code,capability_code,period,expected,official\nkent,cbrn,2025/26,4,no\natlantis,cbrn,2025/26,4,no\n"
GOOD = "force_code,capability_code,period,expected,official\nkent,cbrn,2025/26,4,no\n"


def test_national_admin_sets_expected_contributions(page, live_server, forces, settings, tmp_path):
    demo_accounts_create()
    capacity_capabilities_load()
    sign_in(page, live_server, "admin", settings.SPR_DEMO_PASSWORD)

    page.goto(f"{live_server.url}/capacity/expected/?period=2025/26")
    assert_accessible(page)
    page.get_by_label("Force").select_option("west-midlands")
    page.get_by_label("Capability").select_option("public-order-psu")
    page.get_by_label("Expected contribution").fill("")
    page.get_by_role("button", name="Save expected contribution").click()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    page.get_by_label("Expected contribution").fill("24")
    page.get_by_role("button", name="Save expected contribution").click()
    assert "West Midlands Police" in page.locator("table").first.inner_text()

    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and check").click()
    assert "Row 3: No force has the code 'atlantis'" in page.content()
    assert_accessible(page)
    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    assert "Kent Police" in page.locator("table").first.inner_text()

    page.goto(f"{live_server.url}/national/?period=2025/26#capacity")
    text = page.locator("#capacity ~ *").all_inner_texts()
    joined = " ".join(text)
    assert "0 of 46 forces reported" in joined and "Illustrative" in joined
    assert_accessible(page)
