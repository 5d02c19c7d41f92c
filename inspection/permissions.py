"""Who may write in the HMIC workspace. One set of predicates serves the pages, the API and the
templates that decide whether to show a button. Reading is decided by `forces.scoping`.

HMIC inspectors write their own records (requests and findings) and never a force's; a force's
PCC office staff and chief constable (the force's leads) write only their force's answer to a
request and its response to a finding.
"""

from __future__ import annotations

from core.roles import Role, has_role
from forces.scoping import acts_for

#: The force roles that answer HMIC for their force.
ANSWERING_ROLES = (Role.PCC_STAFF, Role.CHIEF_CONSTABLE)


def can_raise(user) -> bool:
    """Raise evidence requests and record findings: HMIC inspectors only."""
    return has_role(user, Role.INSPECTOR)


def can_answer_for_force(user, force_id: int) -> bool:
    """Answer a request or respond to a finding: the force's PCC office staff or chief constable."""
    return has_role(user, *ANSWERING_ROLES) and acts_for(user, force_id)


def can_answer(user, evidence_request) -> bool:
    """The request is not yet accepted, and the user answers for its force."""
    return evidence_request.status != evidence_request.Status.ACCEPTED and can_answer_for_force(
        user, evidence_request.force_id
    )


def can_accept(user, evidence_request) -> bool:
    """An inspector accepts an answered request."""
    return can_raise(user) and evidence_request.status == evidence_request.Status.ANSWERED


def can_respond(user, finding) -> bool:
    return finding.status == finding.Status.OPEN and can_answer_for_force(user, finding.force_id)


def can_close(user, finding) -> bool:
    return can_raise(user) and finding.status == finding.Status.OPEN
