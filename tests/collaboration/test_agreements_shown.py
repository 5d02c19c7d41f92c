"""Where a party sees its agreements: the task list (against the requirements they deliver), the
dashboard (count and overdue reviews), the accountability report, and the national view by region."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import Role
from reports.context.accountability import accountability_input_hash, accountability_prepare
from tests.collaboration.conftest import client_for
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def essex_assessment(forces, spr2012, essex_staff):
    return make_assessment(user=essex_staff, force=forces["essex"], edition=spr2012)


def test_the_task_list_says_which_requirements_an_agreement_delivers(ersou, essex_assessment, essex_staff):
    page = client_for(essex_staff).get(reverse("assessments:detail", args=[essex_assessment.pk])).content.decode()
    assert "Delivered under agreement: ERSOU collaboration agreement" in page
    # Shown against 4.1(c) and 6.4 only (each listed under its section, threats and areas).
    assert page.count("Delivered under agreement") < 20


def test_a_non_party_sees_no_agreement_on_its_task_list(ersou, forces, spr2012, wm_staff):
    assessment = make_assessment(user=wm_staff, force=forces["west-midlands"], edition=spr2012)
    page = client_for(wm_staff).get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "Delivered under agreement" not in page


def test_the_dashboard_counts_agreements_and_overdue_reviews(ersou, essex_assessment, make_user):
    chief = make_user(Role.CHIEF_CONSTABLE, "essex", "essex-chief-dash")
    page = client_for(chief).get(reverse("dashboards:force")).content.decode()
    assert "Collaboration agreements" in page
    assert "(1 past its review date)" in page


def test_the_accountability_report_lists_the_forces_agreements(ersou, essex_assessment):
    before = accountability_input_hash(essex_assessment)
    prepared = accountability_prepare(essex_assessment)
    [listed] = prepared.context["agreements"]
    assert listed["title"] == "ERSOU collaboration agreement"
    assert listed["lead_force"] == "Kent Police"
    assert [(p["force"], p["confirmed"]) for p in listed["parties"]] == [("Essex Police", False), ("Kent Police", True)]
    assert listed["requirements"] == ["4.1(c)", "6.4"]
    assert listed["review_overdue"] is True
    assert prepared.input_hash == before
    # A confirmation changes what the report would say, so it changes the report's input hash.
    from collaboration import services

    services.agreement_confirm(user=essex_assessment.created_by, party=ersou.parties.get(force__code="essex"))
    assert accountability_input_hash(essex_assessment) != before


def test_the_national_view_shows_agreements_by_region(ersou, inspector_client):
    page = inspector_client.get(reverse("dashboards:national")).content.decode()
    assert "Collaboration agreements by region" in page
    section = page[page.index('id="agreements"') :]
    assert "South East" in section[:3000] and "ERSOU collaboration agreement" in section[:3000]


def test_the_dashboard_api_counts_agreements(ersou, essex_assessment, make_user):
    chief = make_user(Role.CHIEF_CONSTABLE, "essex", "essex-chief-api")
    data = client_for(chief).get(reverse("api-dashboard-force", args=["essex"])).json()
    assert data["agreements"] == {"total": 1, "review_overdue": 1}


def test_the_accountability_pdf_prints_the_agreements_and_a_non_partys_does_not(
    ersou, forces, spr2012, essex_staff, wm_staff, settings, tmp_path
):
    """The PDF itself, built by WeasyPrint and read back: Essex's lists ERSOU with its parties, its
    requirements and the overdue review; West Midlands', a force that is no party, says it has none."""
    from reports import services as report_services
    from tests.reports.support import page_texts

    settings.REPORTS_ROOT = tmp_path / "reports"

    def text_of(user, assessment) -> str:
        job, _created = report_services.report_request(user=user, kind="accountability", assessment=assessment)
        assert report_services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
        job.refresh_from_db()
        return " ".join(" ".join(page_texts(job)).split())

    essex = text_of(essex_staff, make_assessment(user=essex_staff, force=forces["essex"], edition=spr2012))
    assert "ERSOU collaboration agreement" in essex
    assert "led by Kent Police" in essex
    assert "Essex Police (not yet confirmed), Kent Police" in essex
    assert "4.1(c), 6.4" in essex
    assert "31 March 2025 Review overdue" in essex

    home = text_of(wm_staff, make_assessment(user=wm_staff, force=forces["west-midlands"], edition=spr2012))
    assert "ERSOU" not in home
    assert "West Midlands Police has recorded no collaboration agreements." in home
