"""Report pages and API: requesting, the status page (with and without JavaScript), downloads, and
force isolation (another force's job is a 404 everywhere and in no list)."""

from __future__ import annotations

import re

import pytest

from reports import permissions, services
from reports.models import JobStatus, ReportJob
from reports.services import QUEUE_DOWN_MESSAGE


@pytest.fixture
def built_job(reports_root, published, staff_user):
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)
    services.report_render(job_id=job.pk, worker="test")
    job.refresh_from_db()
    return job


@pytest.fixture
def queued_job(published, staff_user):
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)
    return job


# --- Pages --------------------------------------------------------------------------------------------


def test_generate_pdf_button_queues_and_redirects_to_the_status_page(staff_client, published):
    response = staff_client.post("/reports/new/", {"kind": "accountability", "assessment": published.pk})

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{job.pk}/"
    assert job.status == JobStatus.QUEUED and job.requested_by.username == "staff-home"


def test_assessment_page_offers_generate_pdf_to_a_user_who_may_request_the_report(pcc_client, published):
    html = pcc_client.get(f"/assessments/{published.pk}/").content.decode()

    assert "Generate PDF" in html and 'name="kind" value="accountability"' in html


def test_assessment_page_hides_generate_pdf_from_a_user_who_may_not_request_the_report(
    staff_client, published, monkeypatch
):
    # Today whoever can see an assessment may request its report, so only the predicate can refuse:
    # the page must ask it rather than decide for itself.
    monkeypatch.setattr(permissions, "can_request_accountability", lambda user, assessment: False)

    response = staff_client.get(f"/assessments/{published.pk}/")

    html = response.content.decode()
    assert response.status_code == 200 and "self-assessment" in html
    assert "Generate PDF" not in html and 'action="/reports/new/"' not in html


def test_status_page_works_without_javascript_and_polls_with_htmx(staff_client, queued_job):
    response = staff_client.get(f"/reports/{queued_job.pk}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/reports/{queued_job.pk}/">Refresh</a>' in html
    assert f'hx-get="/reports/{queued_job.pk}/status/"' in html and 'hx-trigger="every 2s"' in html
    assert '<script src="/static/htmx/htmx.min.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script anywhere
    assert QUEUE_DOWN_MESSAGE in html  # on_commit never ran in this test: nothing was dispatched
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_status_partial_stops_polling_when_done_and_offers_the_download(staff_client, built_job):
    response = staff_client.get(f"/reports/{built_job.pk}/status/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "hx-get" not in html and "Refresh" not in html
    assert f"/reports/{built_job.pk}/download/" in html and built_job.sha256 in html
    assert "<html" not in html  # a fragment


def test_download_serves_the_pdf_as_an_attachment(staff_client, built_job):
    response = staff_client.get(f"/reports/{built_job.pk}/download/")

    body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "spr-accountability-west-midlands-2025-26-r1.pdf" in response["Content-Disposition"]
    assert body.startswith(b"%PDF") and response["X-Report-SHA256"] == built_job.sha256


def test_download_is_404_until_the_report_is_built(staff_client, queued_job):
    assert staff_client.get(f"/reports/{queued_job.pk}/download/").status_code == 404


def test_list_shows_the_jobs_the_user_may_see(staff_client, pcc_client, built_job, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = staff_client.get("/reports/")
    assert response.status_code == 200 and f"/reports/{built_job.pk}/" in response.content.decode()
    assert f"/reports/{built_job.pk}/" in pcc_client.get("/reports/").content.decode()


def test_another_forces_staff_get_404_and_see_nothing(other_staff_client, built_job):
    for url in (
        f"/reports/{built_job.pk}/",
        f"/reports/{built_job.pk}/status/",
        f"/reports/{built_job.pk}/download/",
        f"/api/v1/reports/{built_job.pk}/",
        f"/api/v1/reports/{built_job.pk}/download/",
    ):
        assert other_staff_client.get(url).status_code == 404, url
    assert f"/reports/{built_job.pk}/" not in other_staff_client.get("/reports/").content.decode()
    assert other_staff_client.get("/api/v1/reports/").json()["count"] == 0


def test_another_force_cannot_request_a_report_on_our_assessment(other_staff_client, published):
    assert (
        other_staff_client.post("/reports/new/", {"kind": "accountability", "assessment": published.pk}).status_code
        == 404
    )
    response = other_staff_client.post(
        "/api/v1/reports/", {"kind": "accountability", "assessment": published.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_inspectors_cannot_request_a_draft_they_cannot_see(inspector_client, draft):
    assert inspector_client.post("/reports/new/", {"kind": "accountability", "assessment": draft.pk}).status_code == 404
    response = inspector_client.post(
        "/api/v1/reports/", {"kind": "accountability", "assessment": draft.pk}, content_type="application/json"
    )
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_inspectors_see_jobs_on_published_assessments_but_not_on_drafts(inspector_client, staff_user, published, draft):
    on_published, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)
    on_draft, _ = services.report_request(user=staff_user, kind="accountability", assessment=draft)

    assert inspector_client.get(f"/reports/{on_published.pk}/").status_code == 200
    assert inspector_client.get(f"/reports/{on_draft.pk}/").status_code == 404
    assert [row["id"] for row in inspector_client.get("/api/v1/reports/").json()["results"]] == [on_published.pk]


def test_national_overview_form_is_for_national_roles(inspector_client, staff_client, spr2012, forces):
    page = inspector_client.get("/reports/new/")
    assert page.status_code == 200 and 'name="period"' in page.content.decode()
    assert 'name="period"' not in staff_client.get("/reports/new/").content.decode()

    response = inspector_client.post(
        "/reports/new/", {"kind": "national", "edition": "spr-2012", "period": "2025/26", "region": "west-midlands"}
    )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.region.code == "west-midlands" and job.edition == spr2012

    assert (
        staff_client.post("/reports/new/", {"kind": "national", "edition": "spr-2012", "period": "2025/26"}).status_code
        == 403
    )


def test_national_overview_form_errors_use_gds_wording(inspector_client, spr2012, forces):
    response = inspector_client.post("/reports/new/", {"kind": "national", "edition": "spr-2012", "period": "2025"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: " in html
    assert "Enter the reporting period as a financial year, like 2025/26" in html
    assert 'href="#id_period"' in html


# --- API ----------------------------------------------------------------------------------------------

FIELDS = {
    "id",
    "kind",
    "assessment",
    "edition",
    "period",
    "region",
    "status",
    "progress",
    "attempts",
    "error",
    "input_hash",
    "sha256",
    "size",
    "pages",
    "created_at",
    "dispatched_at",
    "started_at",
    "finished_at",
    "download",
    "message",
}


def test_api_post_answers_202_with_the_queued_job(staff_client, published):
    response = staff_client.post(
        "/api/v1/reports/", {"kind": "accountability", "assessment": published.pk}, content_type="application/json"
    )

    body = response.json()
    assert response.status_code == 202
    assert set(body) == FIELDS
    assert body["status"] == "queued" and body["download"] is None and body["attempts"] == 0
    assert body["message"] == QUEUE_DOWN_MESSAGE and len(body["input_hash"]) == 64
    assert response["Location"].endswith(f"/api/v1/reports/{body['id']}/")


def test_api_post_of_built_content_returns_the_done_job_with_its_download(staff_client, built_job):
    response = staff_client.post(
        "/api/v1/reports/",
        {"kind": "accountability", "assessment": built_job.assessment_id},
        content_type="application/json",
    )

    body = response.json()
    assert response.status_code == 202 and body["id"] == built_job.pk
    assert body["status"] == "done" and body["sha256"] == built_job.sha256 and body["pages"] == built_job.pages
    assert body["download"] == f"http://testserver/api/v1/reports/{built_job.pk}/download/"
    download = staff_client.get(body["download"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_api_validates_its_input(inspector_client, staff_client, spr2012, forces):
    def post(client, data):
        return client.post("/api/v1/reports/", data, content_type="application/json")

    assert post(staff_client, {"kind": "accountability"}).json() == {
        "assessment": ["Choose the assessment to report on"]
    }
    assert post(staff_client, {"kind": "weekly"}).status_code == 400
    assert post(inspector_client, {"kind": "national", "edition": "spr-2012"}).status_code == 400
    assert post(inspector_client, {"kind": "national", "edition": "nope", "period": "2025/26"}).status_code == 400
    assert post(inspector_client, {"kind": "national", "edition": "spr-2012", "period": "2025/27"}).status_code == 400
    assert (
        post(
            inspector_client, {"kind": "national", "edition": "spr-2012", "period": "2025/26", "region": "atlantis"}
        ).status_code
        == 400
    )
    assert post(staff_client, {"kind": "national", "edition": "spr-2012", "period": "2025/26"}).status_code == 403
    national = post(inspector_client, {"kind": "national", "edition": "spr-2012", "period": "2025/26"})
    assert national.status_code == 202 and national.json()["region"] is None


def test_api_list_and_detail(staff_client, built_job, queued_job, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        listing = staff_client.get("/api/v1/reports/")
    assert listing.status_code == 200 and listing.json()["count"] == 1  # the same content: one job
    detail = staff_client.get(f"/api/v1/reports/{built_job.pk}/").json()
    assert detail["status"] == "done" and detail["message"] == "The report is ready to download"


def test_api_download_is_404_while_not_done(staff_client, queued_job):
    assert staff_client.get(f"/api/v1/reports/{queued_job.pk}/download/").status_code == 404
