"""Who may record, change and confirm collaboration agreements. Reading is `Agreement.objects.
visible_to(user)` (every party force, and national roles); pages, the API, the services and the
templates ask these predicates, so a button shows only when the action would be allowed."""

from __future__ import annotations

from core.roles import Role, has_role
from forces.permissions import can_manage_force_records
from forces.scoping import acts_for

#: Force roles that may confirm their force's part in an agreement.
CONFIRMING_ROLES = (Role.PCC_STAFF, Role.CHIEF_CONSTABLE, Role.PCC)


def can_record_agreement(user, force_id: int) -> bool:
    """The lead force's PCC office staff, or a national administrator."""
    return can_manage_force_records(user, force_id)


def can_change_agreement(user, agreement) -> bool:
    """Only the lead force changes an agreement; the other parties read and confirm it."""
    return can_manage_force_records(user, agreement.lead_force_id)


def can_confirm_party(user, party) -> bool:
    """A party's own staff, chief constable or PCC, while its part is unconfirmed."""
    return not party.is_confirmed and has_role(user, *CONFIRMING_ROLES) and acts_for(user, party.force_id)
