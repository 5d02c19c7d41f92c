"""The workflow's transition table: the only statement of who may move an assessment from which
state to which, and whom to tell. `permissions.can_transition` reads it for pages, the API and
templates; `workflow` carries the transitions out."""

from __future__ import annotations

from dataclasses import dataclass

from assessments.models import AssessmentStatus as S
from core.roles import Role


@dataclass(frozen=True)
class Rule:
    sources: tuple[str, ...]
    target: str
    roles: tuple[Role, ...]
    label: str
    notify: tuple[Role, ...]


TRANSITIONS: dict[str, Rule] = {
    "submit": Rule(
        (S.DRAFT,), S.SUBMITTED, (Role.PCC_STAFF,), "Submit to the chief constable", (Role.CHIEF_CONSTABLE,)
    ),
    "return": Rule(
        (S.SUBMITTED, S.RESPONDED), S.DRAFT, (Role.PCC, Role.CHIEF_CONSTABLE), "Return for changes", (Role.PCC_STAFF,)
    ),
    "respond": Rule(
        (S.SUBMITTED,),
        S.RESPONDED,
        (Role.CHIEF_CONSTABLE,),
        "Give the chief constable's response",
        (Role.PCC, Role.PCC_STAFF),
    ),
    "sign_off": Rule((S.RESPONDED,), S.SIGNED_OFF, (Role.PCC,), "Sign off", (Role.PCC_STAFF, Role.CHIEF_CONSTABLE)),
    "publish": Rule(
        (S.SIGNED_OFF,),
        S.PUBLISHED,
        (Role.PCC,),
        "Publish to HMIC",
        (Role.PCC_STAFF, Role.CHIEF_CONSTABLE, Role.INSPECTOR),
    ),
    "revise": Rule((S.PUBLISHED,), S.DRAFT, (Role.PCC_STAFF,), "Start a revision", (Role.PCC, Role.CHIEF_CONSTABLE)),
}
