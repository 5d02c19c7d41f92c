"""The workspace's pages: inspectors raise requests and findings, the force answers and responds,
another force sees nothing, and lists cost a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from inspection.models import EvidenceRequest, Finding

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_an_inspector_raises_a_request_on_the_page(inspector_client, requirement, kent):
    page = inspector_client.get(reverse("inspection:request-create"))
    assert page.status_code == 200 and "4.1(c)" in page.content.decode()
    due = timezone.localdate() + dt.timedelta(days=7)
    answer = inspector_client.post(
        reverse("inspection:request-create"),
        {"force": "kent", "requirements": [requirement.pk], "text": "Send the training plan", **_date("due_date", due)},
    )
    created = EvidenceRequest.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse("inspection:request-detail", args=[created.pk])
    detail = inspector_client.get(answer["Location"]).content.decode()
    assert "Send the training plan" in detail and "Kent Police" in detail and "Open" in detail


def test_a_request_form_with_errors_says_so_and_writes_nothing(inspector_client, spr2012, forces):
    answer = inspector_client.post(reverse("inspection:request-create"), {"force": "", "text": ""})
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "<title>Error:" in body and "There is a problem" in body
    assert "Select the force" in body and "Select at least one requirement" in body
    assert not EvidenceRequest.objects.exists()


def test_force_people_cannot_open_the_create_pages(kent_client, spr2012):
    assert kent_client.get(reverse("inspection:request-create")).status_code == 403
    assert kent_client.get(reverse("inspection:finding-create")).status_code == 403


def test_kent_answers_a_request_on_the_page(kent_client, kent_request, kent_evidence, inspector_client):
    detail = kent_client.get(reverse("inspection:request-detail", args=[kent_request.pk])).content.decode()
    assert "Answer this request" in detail and "Accept the answer" not in detail
    url = reverse("inspection:request-answer", args=[kent_request.pk])
    form = kent_client.get(url).content.decode()
    assert "Kent firearms training plan" in form
    blank = kent_client.post(url, {"note": ""})
    assert blank.status_code == 400 and "Select evidence or enter a note" in blank.content.decode()
    answer = kent_client.post(url, {"evidence": [kent_evidence.pk], "note": "Our records are attached"})
    assert answer.status_code == 302
    page = inspector_client.get(reverse("inspection:request-detail", args=[kent_request.pk])).content.decode()
    assert "Kent firearms training plan" in page and "Our records are attached" in page and "Answered" in page
    assert "Accept the answer" in page
    accepted = inspector_client.post(reverse("inspection:request-accept", args=[kent_request.pk]))
    assert accepted.status_code == 302
    kent_request.refresh_from_db()
    assert kent_request.status == "accepted"


def test_an_inspector_records_a_finding_and_kent_responds(inspector_client, kent_client, requirement, kent_action):
    answer = inspector_client.post(
        reverse("inspection:finding-create"),
        {
            "force": "kent",
            "kind": "cause-of-concern",
            "text": "Command resilience is thin",
            "period": "2025/26",
            "requirement": requirement.pk,
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    finding = Finding.objects.get()
    assert finding.kind == "cause-of-concern" and finding.requirement == requirement
    url = reverse("inspection:finding-respond", args=[finding.pk])
    assert "Train four more tactical firearms commanders" in kent_client.get(url).content.decode()
    assert kent_client.post(url, {"response": "We will train more", "actions": [kent_action.pk]}).status_code == 302
    page = inspector_client.get(reverse("inspection:finding-detail", args=[finding.pk])).content.decode()
    assert "We will train more" in page and "Train four more tactical firearms commanders" in page
    assert "Cause of concern" in page


def test_a_finding_form_with_a_bad_kind_writes_nothing(inspector_client, spr2012, forces):
    answer = inspector_client.post(
        reverse("inspection:finding-create"), {"force": "kent", "kind": "bad", "text": "t", "period": "2025/26"}
    )
    assert answer.status_code == 400 and "Select the kind of finding" in answer.content.decode()
    assert not Finding.objects.exists()
    assert not AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model="inspection.finding").exists()


def test_another_force_sees_nothing_and_gets_404(staff_client, kent_request, kent_finding):
    for name, pk in (
        ("inspection:request-detail", kent_request.pk),
        ("inspection:request-answer", kent_request.pk),
        ("inspection:finding-detail", kent_finding.pk),
        ("inspection:finding-respond", kent_finding.pk),
    ):
        assert staff_client.get(reverse(name, args=[pk])).status_code == 404, name
    for name, pk in (
        ("inspection:request-answer", kent_request.pk),
        ("inspection:request-accept", kent_request.pk),
        ("inspection:finding-respond", kent_finding.pk),
        ("inspection:finding-close", kent_finding.pk),
    ):
        assert staff_client.post(reverse(name, args=[pk]), {"response": "x"}).status_code == 404, name
    for name in ("inspection:requests", "inspection:findings"):
        body = staff_client.get(reverse(name) + "?force=kent").content.decode()
        assert "KENTREQUEST" not in body and "KENTFINDING" not in body


def test_lists_filter_and_show_status_tags(inspector_client, kent_request, kent_finding):
    EvidenceRequest.objects.filter(pk=kent_request.pk).update(due_date=timezone.localdate() - dt.timedelta(days=2))
    overdue = inspector_client.get(reverse("inspection:requests") + "?status=overdue").content.decode()
    assert "KENTREQUEST" in overdue and "govuk-tag--red" in overdue and "Overdue" in overdue
    assert "KENTREQUEST" not in inspector_client.get(reverse("inspection:requests") + "?force=essex").content.decode()
    findings = inspector_client.get(reverse("inspection:findings") + "?kind=area-for-improvement").content.decode()
    assert "KENTFINDING" in findings and "Area for improvement" in findings
    assert (
        "KENTFINDING"
        not in inspector_client.get(reverse("inspection:findings") + "?kind=good-practice").content.decode()
    )


def test_list_pages_take_a_constant_number_of_queries(
    inspector_client, inspector_user, kent, requirement, django_assert_max_num_queries
):
    from inspection import services

    for n in range(15):
        services.evidence_request_create(
            user=inspector_user, force=kent, requirements=[requirement], text=f"R{n}", due_date=timezone.localdate()
        )
        services.finding_create(
            user=inspector_user,
            force=kent,
            kind="recommendation",
            text=f"F{n}",
            period="2025/26",
            requirement=requirement,
        )
    with django_assert_max_num_queries(20):
        assert inspector_client.get(reverse("inspection:requests")).status_code == 200
    with django_assert_max_num_queries(20):
        assert inspector_client.get(reverse("inspection:findings")).status_code == 200


def test_the_home_page_says_what_hmic_has_waiting(
    kent_client, staff_client, inspector_client, kent_staff, kent_request, kent_finding
):
    kent_home = kent_client.get(reverse("home")).content.decode()
    assert (
        "From HMIC" in kent_home and "Answer an evidence request" in kent_home and "Respond to a finding" in kent_home
    )
    assert "KENTREQUEST" in kent_home and "KENTFINDING" in kent_home
    assert "From HMIC" not in staff_client.get(reverse("home")).content.decode()
    assert "Accept or follow up an answer" not in inspector_client.get(reverse("home")).content.decode()
    from inspection import services

    services.evidence_request_answer(user=kent_staff, evidence_request=kent_request, evidence_ids=[], note="Here")
    services.finding_respond(user=kent_staff, finding=kent_finding, response="Done")
    assert "Accept or follow up an answer" in inspector_client.get(reverse("home")).content.decode()
    assert "From HMIC" not in kent_client.get(reverse("home")).content.decode()


def test_kent_cannot_answer_with_west_midlands_evidence_on_the_page(kent_client, kent_request, staff_user, forces):
    from tests.factories import make_link_evidence

    theirs = make_link_evidence(user=staff_user, force=forces["west-midlands"], title="WM plan")
    url = reverse("inspection:request-answer", args=[kent_request.pk])
    answer = kent_client.post(url, {"evidence": [theirs.pk], "note": "x"})
    assert answer.status_code == 400 and "Select evidence from your force&#x27;s library" in answer.content.decode()
    kent_request.refresh_from_db()
    assert kent_request.status == "open"
