"""The workspace's services: who may write what, the request's status, and the audit of every write."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditEntry
from core.roles import Role
from inspection import selectors, services
from inspection.models import EvidenceRequest, Finding
from tests.factories import make_link_evidence

pytestmark = pytest.mark.django_db


def _records(model: str):
    return AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model=model)


def test_evidence_request_create_is_audited_and_open(kent_request, kent):
    assert kent_request.status == "open" and kent_request.shown_status == "open"
    assert [r.ref for r in kent_request.requirements.all()] == ["4.1(c)"]
    entry = _records("inspection.evidencerequest").get()
    assert entry.action == AuditEntry.Action.CREATED
    assert entry.force_id == kent.id
    assert entry.changes["requirements"] == [None, ["4.1(c)"]]


@pytest.mark.parametrize("role", [Role.PCC_STAFF, Role.CHIEF_CONSTABLE, Role.PCC, Role.NATIONAL_ADMIN])
def test_only_inspectors_raise_requests_and_findings(make_user, role, kent, requirement):
    user = make_user(role, "kent" if role != Role.NATIONAL_ADMIN else None)
    with pytest.raises(PermissionDenied):
        services.evidence_request_create(
            user=user, force=kent, requirements=[requirement], text="t", due_date=timezone.localdate()
        )
    with pytest.raises(PermissionDenied):
        services.finding_create(user=user, force=kent, kind="recommendation", text="t", period="2025/26")
    assert not EvidenceRequest.objects.exists() and not Finding.objects.exists()
    assert not _records("inspection.finding").exists()


def test_a_request_needs_requirements_a_future_date_and_text(inspector_user, kent):
    with pytest.raises(ValidationError) as caught:
        services.evidence_request_create(
            user=inspector_user, force=kent, requirements=[], text=" ", due_date=dt.date(2020, 1, 1)
        )
    assert set(caught.value.message_dict) == {"requirements", "text", "due_date"}
    assert not EvidenceRequest.objects.exists()


def test_overdue_is_an_open_request_past_its_due_date(kent_request, kent_staff, kent_evidence):
    EvidenceRequest.objects.filter(pk=kent_request.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    kent_request.refresh_from_db()
    assert kent_request.shown_status == "overdue" and kent_request.status_label == "Overdue"
    assert list(selectors.evidence_request_list(user=kent_staff, status="overdue")) == [kent_request]
    assert not selectors.evidence_request_list(user=kent_staff, status="open").exists()
    answered = services.evidence_request_answer(
        user=kent_staff, evidence_request=kent_request, evidence_ids=[kent_evidence.id], note="Attached"
    )
    assert answered.shown_status == "answered"


def test_the_force_answers_and_the_inspector_accepts(kent_request, kent_staff, kent_evidence, inspector_user):
    answered = services.evidence_request_answer(
        user=kent_staff, evidence_request=kent_request, evidence_ids=[kent_evidence.id], note="Our records"
    )
    assert answered.status == "answered" and answered.answered_by == kent_staff
    assert list(answered.answer_evidence.all()) == [kent_evidence]
    accepted = services.evidence_request_accept(user=inspector_user, evidence_request=answered)
    assert accepted.status == "accepted" and accepted.accepted_by == inspector_user
    changes = [e.changes for e in _records("inspection.evidencerequest").order_by("id")]
    assert changes[1]["status"] == ["open", "answered"] and changes[1]["evidence"] == [[], [kent_evidence.id]]
    assert changes[2] == {"status": ["answered", "accepted"]}
    with pytest.raises(ValidationError):
        services.evidence_request_answer(user=kent_staff, evidence_request=accepted, evidence_ids=[], note="again")


def test_a_force_cannot_answer_with_another_forces_evidence(kent_request, kent_staff, staff_user, forces):
    theirs = make_link_evidence(user=staff_user, force=forces["west-midlands"], title="WM plan")
    with pytest.raises(ValidationError) as caught:
        services.evidence_request_answer(
            user=kent_staff, evidence_request=kent_request, evidence_ids=[theirs.id], note=""
        )
    assert "evidence" in caught.value.message_dict
    kent_request.refresh_from_db()
    assert kent_request.status == "open" and not kent_request.answer_evidence.exists()


def test_another_force_and_inspectors_cannot_answer(kent_request, staff_user, inspector_user):
    for user in (staff_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.evidence_request_answer(user=user, evidence_request=kent_request, evidence_ids=[], note="x")


def test_an_answer_needs_evidence_or_a_note(kent_request, kent_staff):
    with pytest.raises(ValidationError):
        services.evidence_request_answer(user=kent_staff, evidence_request=kent_request, evidence_ids=[], note=" ")


def test_only_an_answered_request_is_accepted(kent_request, inspector_user):
    with pytest.raises(ValidationError):
        services.evidence_request_accept(user=inspector_user, evidence_request=kent_request)


def test_finding_create_checks_its_kind_and_period(inspector_user, kent):
    with pytest.raises(ValidationError) as caught:
        services.finding_create(user=inspector_user, force=kent, kind="nonsense", text="t", period="2025/27")
    assert set(caught.value.message_dict) == {"kind", "period"}
    assert not Finding.objects.exists()


def test_the_force_responds_and_links_its_actions(kent_finding, kent_staff, kent_action, inspector_user):
    responded = services.finding_respond(
        user=kent_staff, finding=kent_finding, response="We are training four more", action_ids=[kent_action.id]
    )
    assert responded.response == "We are training four more" and list(responded.actions.all()) == [kent_action]
    entry = _records("inspection.finding").order_by("-id").first()
    assert entry.changes["actions"] == [[], [kent_action.id]]
    closed = services.finding_close(user=inspector_user, finding=responded)
    assert closed.status == "closed"
    with pytest.raises(ValidationError):
        services.finding_respond(user=kent_staff, finding=closed, response="more", action_ids=[])


def test_a_force_cannot_link_another_forces_action_or_respond_for_another(
    kent_finding, kent_staff, staff_user, forces, spr2012, inspector_user
):
    from tests.factories import make_assessment

    theirs = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)
    from assessments import services as assessment_services

    action = assessment_services.action_save(
        user=staff_user,
        assessment=theirs,
        requirement=spr2012.requirements.get(ref="4.1(c)"),
        gap="g",
        description="d",
        owner="o",
        due_date=timezone.localdate(),
    )
    with pytest.raises(ValidationError):
        services.finding_respond(user=kent_staff, finding=kent_finding, response="r", action_ids=[action.id])
    for user in (staff_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.finding_respond(user=user, finding=kent_finding, response="r", action_ids=[])
    kent_finding.refresh_from_db()
    assert kent_finding.response == "" and not kent_finding.actions.exists()


def test_a_force_sees_only_its_own(kent_request, kent_finding, staff_user, kent_staff, inspector_user):
    assert not selectors.evidence_request_list(user=staff_user).exists()
    assert not selectors.finding_list(user=staff_user).exists()
    assert list(selectors.evidence_request_list(user=kent_staff)) == [kent_request]
    assert list(selectors.finding_list(user=inspector_user)) == [kent_finding]
