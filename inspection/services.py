"""Writes of the HMIC workspace. Inspectors raise evidence requests, accept answers, record and
close findings; a force's PCC office staff and chief constable answer requests and respond to
findings. Nobody here changes anything a force wrote elsewhere: an answer *links* the force's
evidence, a response *links* its actions.

Every service takes keyword-only arguments and the acting user, checks permission, validates
(`full_clean`), writes in one transaction and appends the change to the audit chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from capabilities.models import Requirement
from core.audit import audit_record
from core.models import AuditEntry
from core.periods import validate_period
from forces.models import Force
from inspection import notifications, permissions, selectors
from inspection.models import EvidenceRequest, EvidenceRequestStatus, Finding, FindingKind, FindingStatus
from threats.models import Threat


def _tell(event: str, obj, user) -> None:
    """E-mail about the change once it has committed (never when it rolls back)."""
    object_id, actor_id = obj.pk, user.pk
    transaction.on_commit(
        lambda: notifications.enqueue_inspection_email(event=event, object_id=object_id, actor_id=actor_id)
    )


def _refs(requirements: Iterable[Requirement]) -> list[str]:
    return sorted(r.ref for r in requirements)


@transaction.atomic
def evidence_request_create(
    *, user, force: Force, requirements: Iterable[Requirement], text: str, due_date: dt.date
) -> EvidenceRequest:
    """An inspector asks a force for evidence against one or more requirements by a due date (today
    or later). Refused (403) for anyone but an inspector."""
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can request evidence"))
    requirements = list(requirements)
    errors = {}
    if not requirements:
        errors["requirements"] = _("Select at least one requirement")
    elif len({r.edition_id for r in requirements}) > 1:
        errors["requirements"] = _("Select requirements of one edition")
    if due_date is not None and due_date < timezone.localdate():
        errors["due_date"] = _("Due date must be today or in the future")
    if not (text or "").strip():
        errors["text"] = _("Enter what evidence you are asking for")
    if errors:
        raise ValidationError(errors)
    request = EvidenceRequest(force=force, text=text, due_date=due_date, raised_by=user)
    request.full_clean()
    request.save()
    request.requirements.set(requirements)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATED,
        instance=request,
        changes={
            "force": [None, force.code],
            "requirements": [None, _refs(requirements)],
            "text": [None, text],
            "due_date": [None, due_date],
            "status": [None, request.status],
        },
    )
    _tell("request_raised", request, user)
    return request


@transaction.atomic
def evidence_request_answer(*, user, evidence_request: EvidenceRequest, evidence_ids: Iterable[int], note: str):
    """The force answers with items of its own evidence library and a note (at least one of the
    two). An answered request may be answered again until an inspector accepts it."""
    locked = EvidenceRequest.objects.select_for_update().get(pk=evidence_request.pk)
    if not permissions.can_answer_for_force(user, locked.force_id):
        raise PermissionDenied(_("Only the force's staff can answer its evidence requests"))
    if locked.status == EvidenceRequestStatus.ACCEPTED:
        raise ValidationError(_("This request has been accepted: its answer cannot change"))
    ids = sorted({int(i) for i in evidence_ids or []})
    items = list(selectors.answerable_evidence(user=user, force_id=locked.force_id).filter(id__in=ids))
    if len(items) != len(ids):
        raise ValidationError({"evidence": _("Select evidence from your force's library")})
    note = note or ""
    if not items and not note.strip():
        raise ValidationError({"note": _("Select evidence or enter a note")})
    before = {
        "status": locked.status,
        "answer_note": locked.answer_note,
        "evidence": sorted(locked.answer_evidence.values_list("id", flat=True)),
    }
    locked.answer_note = note
    locked.status = EvidenceRequestStatus.ANSWERED
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save()
    locked.answer_evidence.set(items)
    after = {"status": locked.status, "answer_note": note, "evidence": ids}
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={name: [before[name], after[name]] for name in after if before[name] != after[name]}
        or {"answered_at": [None, locked.answered_at]},
    )
    _tell("request_answered", locked, user)
    return locked


@transaction.atomic
def evidence_request_accept(*, user, evidence_request: EvidenceRequest) -> EvidenceRequest:
    """An inspector accepts an answered request; it is then closed to further answers."""
    locked = EvidenceRequest.objects.select_for_update().get(pk=evidence_request.pk)
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can accept an answer"))
    if locked.status != EvidenceRequestStatus.ANSWERED:
        raise ValidationError(_("Only an answered request can be accepted"))
    locked.status = EvidenceRequestStatus.ACCEPTED
    locked.accepted_by = user
    locked.accepted_at = timezone.now()
    locked.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={"status": [EvidenceRequestStatus.ANSWERED, EvidenceRequestStatus.ACCEPTED]},
    )
    return locked


@transaction.atomic
def finding_create(
    *,
    user,
    force: Force,
    kind: str,
    text: str,
    period: str,
    found_on: dt.date | None = None,
    requirement: Requirement | None = None,
    threat: Threat | None = None,
    area=None,
) -> Finding:
    """An inspector records a finding about a force for a period: against a requirement, or a threat
    and/or one of the five Cs, or the force as a whole. Refused (403) for anyone but an inspector."""
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can record a finding"))
    errors = {}
    if kind not in FindingKind.values:
        errors["kind"] = _("Select the kind of finding")
    if not (text or "").strip():
        errors["text"] = _("Enter the finding")
    try:
        validate_period(period)
    except ValidationError as exc:
        errors["period"] = exc.messages[0]
    found_on = found_on or timezone.localdate()
    if found_on > timezone.localdate():
        errors["found_on"] = _("Date of the finding must be today or in the past")
    if requirement is not None and (threat is not None or area is not None):
        errors["requirement"] = _("Choose a requirement, or a threat and area, not both")
    if errors:
        raise ValidationError(errors)
    finding = Finding(
        force=force,
        kind=kind,
        text=text,
        period=period,
        found_on=found_on,
        requirement=requirement,
        threat=threat,
        area=area,
        recorded_by=user,
    )
    finding.full_clean()
    finding.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CREATED,
        instance=finding,
        changes={
            "force": [None, force.code],
            "kind": [None, kind],
            "text": [None, text],
            "period": [None, period],
            "found_on": [None, found_on],
            "requirement": [None, requirement.ref if requirement else None],
            "threat": [None, threat.code if threat else None],
            "area": [None, area.code if area else None],
        },
    )
    _tell("finding_recorded", finding, user)
    return finding


@transaction.atomic
def finding_respond(*, user, finding: Finding, response: str, action_ids: Iterable[int] = ()) -> Finding:
    """The force responds to an open finding (text) and links actions of its own assessments to it;
    a later response replaces the earlier one."""
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if not permissions.can_answer_for_force(user, locked.force_id):
        raise PermissionDenied(_("Only the force's staff can respond to its findings"))
    if locked.status != FindingStatus.OPEN:
        raise ValidationError(_("This finding is closed: its response cannot change"))
    if not (response or "").strip():
        raise ValidationError({"response": _("Enter your response")})
    ids = sorted({int(i) for i in action_ids or []})
    actions = list(selectors.linkable_actions(user=user, force_id=locked.force_id).filter(id__in=ids))
    if len(actions) != len(ids):
        raise ValidationError({"actions": _("Select actions of your force")})
    before = {"response": locked.response, "actions": sorted(locked.actions.values_list("id", flat=True))}
    locked.response = response
    locked.responded_by = user
    locked.responded_at = timezone.now()
    locked.full_clean()
    locked.save()
    locked.actions.set(actions)
    after = {"response": response, "actions": ids}
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={name: [before[name], after[name]] for name in after if before[name] != after[name]}
        or {"responded_at": [None, locked.responded_at]},
    )
    _tell("finding_responded", locked, user)
    return locked


@transaction.atomic
def finding_close(*, user, finding: Finding) -> Finding:
    """An inspector closes an open finding."""
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can close a finding"))
    if locked.status != FindingStatus.OPEN:
        raise ValidationError(_("This finding is already closed"))
    locked.status = FindingStatus.CLOSED
    locked.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={"status": [FindingStatus.OPEN, FindingStatus.CLOSED]},
    )
    return locked
