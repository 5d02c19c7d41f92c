"""Issue 14's check: with 3 of the 46 forces reporting capacity, the national view, its CSV, the
national PDF and the accountability PDF say "3 of 46", give no "meets" verdict, and carry the
illustrative label (the planning assumptions and expected contributions are not official)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from capabilities.models import CapacityCapability
from capabilities.services import capacity_capabilities_load
from capacity.models import CapacityCommitment
from capacity.services import expected_contribution_save
from forces.models import Force
from reports import services
from tests.reports.support import page_texts

REPORTING = ("west-midlands", "kent", "metropolitan")
MEETS = re.compile(r"\bmeets\b", re.I)


@pytest.fixture
def three_of_46(forces, national_admin_user):
    capacity_capabilities_load()
    assert Force.objects.count() == 46
    for capability in CapacityCapability.objects.all():
        for code in REPORTING:
            # Far above the assumption: without the coverage rule every line would "meet" it.
            CapacityCommitment.objects.create(
                force=forces[code],
                capability=capability,
                period="2025/26",
                committed=capability.national_planning_assumption,
                available=capability.national_planning_assumption,
                notice_period_hours=4,
                as_of=dt.date(2025, 9, 1),
            )
        for code in (*REPORTING, "durham"):
            expected_contribution_save(
                user=national_admin_user, force=forces[code], capability=capability, period="2025/26", expected=5
            )


def _render(user, **kwargs) -> str:
    job, _ = services.report_request(user=user, **kwargs)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    return " ".join(" ".join(page_texts(job)).split())


def test_the_national_view_and_its_csv(three_of_46, inspector_client):
    html = inspector_client.get("/national/", {"period": "2025/26"}).content.decode()
    section = html[html.index('id="capacity"') :]
    assert "3 of 46 forces reported" in section
    assert "Not known until every force reports (3 of 46 reported)" in section
    assert not MEETS.search(section)
    assert "Illustrative figures" in section
    assert "43 forces, 5 expected" in section  # Durham's expectation counts as not reported

    body = inspector_client.get("/national/capacity.csv", {"period": "2025/26"}).content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    national = [row for row in rows if row["scope"] == "national"]
    assert national and all(row["coverage"] == "3 of 46 forces reported" for row in national)
    assert all(row["figures"] == "ILLUSTRATIVE, not official" for row in rows)
    assert all(row["expected"] == "20" and row["expected_not_reported"] == "5" for row in national)
    assert not MEETS.search(body)


def test_both_pdfs(three_of_46, reports_root, make_rich, inspector_user, staff_user):
    published = make_rich("published")

    national = _render(inspector_user, kind="national", edition=published.edition, period="2025/26")
    assert "3 of 46 forces reported" in national
    assert "ILLUSTRATIVE" in national
    assert not MEETS.search(national)

    accountability = _render(staff_user, kind="accountability", assessment=published)
    assert "3 of 46 forces reported" in accountability
    assert "ILLUSTRATIVE" in accountability
    capacity = accountability[accountability.index("Capacity and contribution What") :]
    capacity = capacity[: capacity.index("Requirements")]
    assert not MEETS.search(capacity)  # (a requirement's own text may say "meets")


def test_a_verdict_once_every_force_has_reported(forces, inspector_client):
    capacity_capabilities_load()
    psu = CapacityCapability.objects.get(code="public-order-psu")
    for force in forces.values():
        CapacityCommitment.objects.create(
            force=force,
            capability=psu,
            period="2025/26",
            committed=10,
            available=10,
            notice_period_hours=4,
            as_of=dt.date(2025, 9, 1),
        )
    html = inspector_client.get("/national/", {"period": "2025/26"}).content.decode()
    assert "46 of 46 forces reported" in html and "Meets the assumption and expected contributions" in html
