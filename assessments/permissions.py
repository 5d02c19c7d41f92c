"""Who may do what to an assessment. Pages, the API and templates all ask these predicates, so a
button shows only when the action would be allowed.

Reading is decided by `Model.objects.visible_to(user)`; these predicates decide writing and assume
the object is already visible to the user.
"""

from __future__ import annotations

from assessments.transitions import TRANSITIONS
from core.roles import Role, has_role
from forces.permissions import can_manage_force_records
from forces.scoping import acts_for


def can_create_assessment(user, force) -> bool:
    return can_manage_force_records(user, force.id)


def can_edit_assessment(user, assessment) -> bool:
    """Responses, departures and actions change only while the assessment is a draft."""
    return assessment.is_editable and can_manage_force_records(user, assessment.force_id)


def can_manage_evidence(user, force_id: int) -> bool:
    return can_manage_force_records(user, force_id)


# --- Workflow -----------------------------------------------------------------------------------
# The transition table lives in assessments/transitions.py; these predicates read it, so a button,
# an API call and the service always agree.


def can_transition(user, assessment, action: str) -> bool:
    """True when `user` may take `action` on `assessment` in its current state."""
    rule = TRANSITIONS.get(action)
    if rule is None or assessment.status not in rule.sources:
        return False
    return has_role(user, *rule.roles) and acts_for(user, assessment.force_id)


CHALLENGE_STATES = ("submitted", "responded")


def can_raise_challenge(user, assessment) -> bool:
    """The PCC, or their office on the PCC's behalf, while the chief constable is answering."""
    return (
        assessment.status in CHALLENGE_STATES
        and has_role(user, Role.PCC, Role.PCC_STAFF)
        and acts_for(user, assessment.force_id)
    )


def can_reply_to_challenge(user, challenge) -> bool:
    """The chief constable answers; the PCC's side may follow up, while the challenge is open."""
    assessment = challenge.assessment
    return (
        challenge.is_open
        and assessment.status in CHALLENGE_STATES
        and has_role(user, Role.CHIEF_CONSTABLE, Role.PCC, Role.PCC_STAFF)
        and acts_for(user, assessment.force_id)
    )


def can_close_challenge(user, challenge) -> bool:
    """Only the PCC's side closes a challenge."""
    assessment = challenge.assessment
    return (
        challenge.is_open
        and assessment.status in CHALLENGE_STATES
        and has_role(user, Role.PCC, Role.PCC_STAFF)
        and acts_for(user, assessment.force_id)
    )
