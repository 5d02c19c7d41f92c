"""The workspace's API: /api/v1/evidence-requests/ and /api/v1/findings/."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from core.models import AuditEntry
from inspection.models import EvidenceRequest, Finding

pytestmark = pytest.mark.django_db

REQUESTS = "/api/v1/evidence-requests/"
FINDINGS = "/api/v1/findings/"


def _post(client, url, body):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body, content_type="application/json")


def _records():
    return AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model__startswith="inspection.").count()


def test_an_inspector_creates_a_finding_by_force_code_and_requirement_ref(inspector_client, spr2012, forces):
    body = {
        "force": "kent",
        "requirement": "4.1(c)",
        "kind": "cause-of-concern",
        "text": "Firearms command is thin",
        "period": "2025/26",
    }
    answer = _post(inspector_client, FINDINGS, body)
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["force"] == "kent" and data["requirement"] == "4.1(c)" and data["kind"] == "cause-of-concern"
    assert data["status"] == "open" and data["found_on"] == timezone.localdate().isoformat()
    assert answer["Location"].endswith(f"{FINDINGS}{data['id']}/")
    assert inspector_client.get(f"{FINDINGS}{data['id']}/").json() == data


def test_a_finding_needs_no_requirement(inspector_client, spr2012, forces):
    body = {"force": "kent", "kind": "good-practice", "text": "Strong regional links", "period": "2025/26"}
    answer = _post(inspector_client, FINDINGS, body)
    assert answer.status_code == 201 and answer.json()["requirement"] is None


@pytest.mark.parametrize(
    "body",
    [
        '{"force": "kent", "kind": ',
        {"force": "kent", "kind": "concern", "text": "t", "period": "2025/26"},
        {"force": "kent", "kind": "recommendation", "text": "t", "period": "2025-26"},
        {"force": "nowhere", "kind": "recommendation", "text": "t", "period": "2025/26"},
        {"force": "kent", "kind": "recommendation", "text": "t", "period": "2025/26", "requirement": "99.9"},
        {"force": "kent", "kind": "recommendation", "text": "t", "period": "2025/26", "status": "closed"},
        {"force": "kent", "kind": "recommendation", "text": 42, "period": "2025/26"},
        [1, 2],
    ],
)
def test_bad_finding_input_is_400_and_writes_nothing(inspector_client, spr2012, forces, body):
    answer = _post(inspector_client, FINDINGS, body)
    assert answer.status_code == 400, answer.content
    assert not Finding.objects.exists() and _records() == 0


def test_a_force_user_creating_a_finding_or_request_gets_403(kent_client, spr2012):
    body = {"force": "kent", "kind": "good-practice", "text": "We are great", "period": "2025/26"}
    assert _post(kent_client, FINDINGS, body).status_code == 403
    body = {"force": "kent", "requirements": ["4.1(c)"], "text": "t", "due_date": "2030-01-01"}
    assert _post(kent_client, REQUESTS, body).status_code == 403
    assert not Finding.objects.exists() and not EvidenceRequest.objects.exists()


def test_an_inspector_requests_evidence_and_kent_answers(inspector_client, kent_client, spr2012, kent_evidence):
    due = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    body = {"force": "kent", "requirements": ["4.1(c)", "3.1(a)"], "text": "Training records", "due_date": due}
    created = _post(inspector_client, REQUESTS, body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["status"] == "open" and sorted(created.json()["requirements"]) == ["3.1(a)", "4.1(c)"]
    answered = _post(kent_client, f"{REQUESTS}{pk}/answer/", {"evidence": [kent_evidence.id], "note": "Attached"})
    assert answered.status_code == 200, answered.json()
    assert answered.json()["status"] == "answered" and answered.json()["answer_evidence"] == [kent_evidence.id]
    assert _post(kent_client, f"{REQUESTS}{pk}/accept/", {}).status_code == 403
    accepted = _post(inspector_client, f"{REQUESTS}{pk}/accept/", {})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_bad_request_input_is_400_and_writes_nothing(inspector_client, spr2012, forces):
    for body in (
        {"force": "kent", "requirements": [], "text": "t", "due_date": "2030-01-01"},
        {"force": "kent", "requirements": ["nope"], "text": "t", "due_date": "2030-01-01"},
        {"force": "kent", "requirements": ["4.1(c)"], "text": "t", "due_date": "2020-01-01"},
        {"force": "kent", "requirements": "4.1(c)", "text": "t", "due_date": "2030-01-01"},
        "{not json",
    ):
        assert _post(inspector_client, REQUESTS, body).status_code == 400, body
    assert not EvidenceRequest.objects.exists() and _records() == 0


def test_kent_responds_to_a_finding_and_links_an_action(kent_client, kent_finding, kent_action):
    url = f"{FINDINGS}{kent_finding.pk}/respond/"
    assert _post(kent_client, url, {"response": ""}).status_code == 400
    assert _post(kent_client, url, {"response": "r", "kind": "good-practice"}).status_code == 400
    answer = _post(kent_client, url, {"response": "We are on it", "actions": [kent_action.id]})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["response"] == "We are on it" and answer.json()["actions"] == [kent_action.id]
    assert answer.json()["kind"] == "area-for-improvement"


def test_another_force_gets_404_on_every_kent_route(client, staff_client, kent_request, kent_finding):
    for url in (
        f"{REQUESTS}{kent_request.pk}/",
        f"{REQUESTS}{kent_request.pk}/answer/",
        f"{REQUESTS}{kent_request.pk}/accept/",
        f"{FINDINGS}{kent_finding.pk}/",
        f"{FINDINGS}{kent_finding.pk}/respond/",
        f"{FINDINGS}{kent_finding.pk}/close/",
    ):
        method = staff_client.get if url.count("/") == 5 else None
        if method:
            assert staff_client.get(url).status_code == 404, url
        assert _post(staff_client, url, {"response": "x", "note": "x"}).status_code in (404, 405), url
    assert staff_client.get(REQUESTS).json()["count"] == 0
    assert staff_client.get(FINDINGS).json()["count"] == 0
    kent_request.refresh_from_db()
    kent_finding.refresh_from_db()
    assert kent_request.status == "open" and kent_finding.response == ""


def test_inspectors_list_every_force_and_filter(inspector_client, kent_request, kent_finding):
    assert inspector_client.get(REQUESTS).json()["count"] == 1
    assert inspector_client.get(f"{REQUESTS}?force=kent&status=open").json()["count"] == 1
    assert inspector_client.get(f"{REQUESTS}?status=answered").json()["count"] == 0
    assert inspector_client.get(f"{REQUESTS}?force=west-midlands").json()["count"] == 0
    assert inspector_client.get(f"{FINDINGS}?kind=area-for-improvement").json()["count"] == 1
    assert inspector_client.get(f"{FINDINGS}?kind=good-practice").json()["count"] == 0
    assert inspector_client.get(f"{FINDINGS}?force=nowhere").status_code == 400


def test_api_lists_take_a_constant_number_of_queries(
    inspector_client, inspector_user, kent, requirement, django_assert_max_num_queries
):
    from inspection import services

    for n in range(12):
        services.evidence_request_create(
            user=inspector_user,
            force=kent,
            requirements=[requirement],
            text=f"Request {n}",
            due_date=timezone.localdate(),
        )
        services.finding_create(user=inspector_user, force=kent, kind="recommendation", text=f"F{n}", period="2025/26")
    with django_assert_max_num_queries(12):
        assert inspector_client.get(REQUESTS).json()["count"] == 12
    with django_assert_max_num_queries(12):
        assert inspector_client.get(FINDINGS).json()["count"] == 12


def test_hmic_downloads_a_file_kent_answered_with_and_nothing_else(
    inspector_client, kent_client, staff_client, kent_request, kent_staff, kent, settings, tmp_path
):
    from inspection import services
    from tests.factories import make_file_evidence

    settings.MEDIA_ROOT = tmp_path
    answered = make_file_evidence(user=kent_staff, force=kent, title="Joint operation review")
    unanswered = make_file_evidence(user=kent_staff, force=kent, title="Something else")
    from assessments.models import Evidence

    Evidence.objects.filter(pk__in=[answered.pk, unanswered.pk]).update(scan_status="clean")
    base = f"{REQUESTS}{kent_request.pk}/evidence"
    assert inspector_client.get(f"{base}/{answered.pk}/download/").status_code == 404  # not answered yet
    services.evidence_request_answer(
        user=kent_staff, evidence_request=kent_request, evidence_ids=[answered.pk], note="Here it is"
    )
    download = inspector_client.get(f"{base}/{answered.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert inspector_client.get(f"{base}/{unanswered.pk}/download/").status_code == 404
    assert staff_client.get(f"{base}/{answered.pk}/download/").status_code == 404
    page = inspector_client.get(f"/inspection/requests/{kent_request.pk}/evidence/{answered.pk}/download/")
    assert page.status_code == 200
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.DOWNLOAD).count() == 2


def test_the_dashboard_apis_count_findings_and_requests(
    inspector_client, kent_client, staff_client, kent_request, kent_finding
):
    kent = kent_client.get("/api/v1/dashboard/force/kent/").json()["inspection"]
    assert kent == {
        "open_requests": 1,
        "overdue_requests": 0,
        "findings": {"cause-of-concern": 0, "area-for-improvement": 1, "recommendation": 0, "good-practice": 0},
        "open_findings": 1,
    }
    home = staff_client.get("/api/v1/dashboard/force/west-midlands/").json()["inspection"]
    assert home["open_requests"] == 0 and set(home["findings"].values()) == {0}
    national = inspector_client.get("/api/v1/dashboard/national/").json()["inspection"]
    assert [row["code"] for row in national["forces"]] == ["kent"]
    assert national["forces"][0]["findings"]["area-for-improvement"] == 1
    assert national["forces"][0]["open_requests"] == 1
    south_east = next(row for row in national["regions"] if row["code"] == "south-east")
    assert south_east["findings"]["area-for-improvement"] == 1


def test_only_an_inspector_closes_a_finding_and_nothing_is_patched(inspector_client, kent_client, kent_finding):
    url = f"{FINDINGS}{kent_finding.pk}/"
    assert kent_client.patch(url, {"kind": "good-practice"}, content_type="application/json").status_code == 405
    assert _post(kent_client, f"{url}close/", {}).status_code == 403
    closed = _post(inspector_client, f"{url}close/", {})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert _post(inspector_client, f"{url}close/", {}).status_code == 400
    assert _post(kent_client, f"{url}respond/", {"response": "late"}).status_code == 400
    kent_finding.refresh_from_db()
    assert kent_finding.kind == "area-for-improvement" and kent_finding.response == ""
