"""Who may do what to an assessment. Pages, the API and templates all ask these predicates, so a
button shows only when the action would be allowed.

Reading is decided by `Model.objects.visible_to(user)`; these predicates decide writing and assume
the object is already visible to the user.
"""

from __future__ import annotations

from core.querysets import force_ids_for
from core.roles import Role, has_role


def _acts_for(user, force_id: int) -> bool:
    return force_id in force_ids_for(user)


def can_manage_force_records(user, force_id: int) -> bool:
    """PCC office staff of the force, or a national administrator."""
    if has_role(user, Role.NATIONAL_ADMIN):
        return True
    return has_role(user, Role.PCC_STAFF) and _acts_for(user, force_id)


def can_create_assessment(user, force) -> bool:
    return can_manage_force_records(user, force.id)


def can_edit_assessment(user, assessment) -> bool:
    """Responses, departures and actions change only while the assessment is a draft."""
    return assessment.is_editable and can_manage_force_records(user, assessment.force_id)


def can_manage_evidence(user, force_id: int) -> bool:
    return can_manage_force_records(user, force_id)
