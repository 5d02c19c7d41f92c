"""HMIC's requests and findings in the reports: Kent's accountability PDF shows Kent's (read back
with pdftotext), West Midlands' shows none of them, and the national overview counts findings by
kind per force."""

from __future__ import annotations

import pytest

from core.roles import Role
from inspection import services as inspection_services
from reports import context as report_context
from reports import services
from tests.reports.support import page_texts, rich_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports_root(settings, tmp_path):
    settings.REPORTS_ROOT = tmp_path / "reports"
    return settings.REPORTS_ROOT


def _pdf_text(user, assessment) -> str:
    job, _created = services.report_request(user=user, kind="accountability", assessment=assessment)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    return " ".join(" ".join(page_texts(job)).split())


def test_kents_accountability_pdf_shows_its_request_and_finding_and_west_midlands_does_not(
    reports_root,
    make_user,
    forces,
    spr2012,
    kent_staff,
    kent_evidence,
    kent_request,
    kent_finding,
    staff_user,
    chief_user,
    pcc_user,
):
    inspection_services.evidence_request_answer(
        user=kent_staff, evidence_request=kent_request, evidence_ids=[kent_evidence.id], note="KENTANSWER attached"
    )
    inspection_services.finding_respond(user=kent_staff, finding=kent_finding, response="KENTRESPONSE we will act")
    kent_chief = make_user(Role.CHIEF_CONSTABLE, "kent", "kent-chief")
    kent_pcc = make_user(Role.PCC, "kent", "kent-pcc")
    kent_assessment = rich_assessment(
        "draft", force=forces["kent"], edition=spr2012, staff=kent_staff, chief=kent_chief, pcc=kent_pcc
    )
    text = _pdf_text(kent_staff, kent_assessment)
    assert "Inspection findings and evidence requests" in text
    assert "KENTFINDING The force should improve its firearms command resilience" in text
    assert "Area for improvement" in text and "KENTRESPONSE we will act" in text
    assert "KENTREQUEST Send your firearms command training records" in text
    assert "KENTANSWER attached" in text and "Kent firearms training plan" in text

    home = rich_assessment(
        "draft", force=forces["west-midlands"], edition=spr2012, staff=staff_user, chief=chief_user, pcc=pcc_user
    )
    other = _pdf_text(staff_user, home)
    assert "Inspection findings and evidence requests" in other
    assert "HMIC has recorded no findings for this period." in other
    assert "KENTFINDING" not in other and "KENTREQUEST" not in other and "KENTRESPONSE" not in other


def test_a_new_finding_makes_a_new_accountability_report(
    reports_root, forces, spr2012, kent_staff, make_user, inspector_user
):
    kent_assessment = rich_assessment(
        "draft",
        force=forces["kent"],
        edition=spr2012,
        staff=kent_staff,
        chief=make_user(Role.CHIEF_CONSTABLE, "kent"),
        pcc=make_user(Role.PCC, "kent"),
    )
    before = report_context.accountability_input_hash(kent_assessment)
    inspection_services.finding_create(
        user=inspector_user, force=forces["kent"], kind="good-practice", text="Good", period="2025/26"
    )
    assert report_context.accountability_input_hash(kent_assessment) != before


def test_the_national_overview_counts_findings_by_kind_per_force(
    reports_root, inspector_user, spr2012, kent_finding, forces
):
    inspection_services.finding_create(
        user=inspector_user, force=forces["kent"], kind="good-practice", text="Good", period="2025/26"
    )
    inputs = report_context.national_inputs(edition=spr2012, period="2025/26", region=None)
    context = report_context.national_prepare(inputs).context
    assert context["finding_rows"] == [
        {"name": "Kent Police", "region": forces["kent"].region.name, "counts": [0, 1, 0, 1]}
    ]
    assert context["finding_totals"] == [0, 1, 0, 1]
    job, _created = services.report_request(user=inspector_user, kind="national", edition=spr2012, period="2025/26")
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    text = " ".join(" ".join(page_texts(job)).split())
    assert "HMIC findings by kind, per force, 2025/26" in text
    assert "Kent Police" in text
    # Another period's overview has none.
    other = report_context.national_prepare(
        report_context.national_inputs(edition=spr2012, period="2024/25", region=None)
    )
    assert other.context["finding_rows"] == []
