"""The accountability workflow (SPR §1.3, §1.11): submit, the chief constable's response, the PCC's
challenge and sign-off, publication to HMIC, and revisions.

The transition table (assessments/transitions.py) is the only statement of who may move an
assessment from which state to which; `permissions.can_transition` reads it for pages, the API and
templates. Every transition locks the assessment row, checks role, force and state, records a
Transition (audited), and, once the transaction commits, queues the e-mail that tells the next
actor (sent by a worker: assessments.notifications).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import notifications
from assessments.models import (
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    ChallengeStatus,
    Snapshot,
    Transition,
)
from assessments.permissions import (
    CHALLENGE_STATES,
    acts_for,
    can_close_challenge,
    can_raise_challenge,
    can_reply_to_challenge,
    can_transition,
)
from assessments.snapshots import snapshot_payload, snapshot_sha256
from assessments.transitions import TRANSITIONS, Rule
from core.checkpoints import audit_checkpoint
from core.exceptions import Conflict
from core.roles import has_role


def _lock(assessment: Assessment) -> Assessment:
    return Assessment.objects.select_for_update().select_related("force", "edition").get(pk=assessment.pk)


def require_transition(user, assessment: Assessment, action: str) -> Rule:
    """403 for a role or force that may never do this; 409 for a state that does not allow it now.

    Services call it under the row lock; pages and the API call it first, so a refusal never depends
    on what a form or body says."""
    rule = TRANSITIONS[action]
    if not (has_role(user, *rule.roles) and acts_for(user, assessment.force_id)):
        raise PermissionDenied(f"Your role cannot {rule.label.lower()} for this force")
    if not can_transition(user, assessment, action):
        raise Conflict(f"You cannot {rule.label.lower()}: the assessment is {assessment.get_status_display().lower()}")
    return rule


def _record(user, assessment: Assessment, action: str, rule: Rule, note: str, from_status: str) -> Transition:
    transition = Transition(
        assessment=assessment, action=action, from_status=from_status, to_status=rule.target, actor=user, note=note
    )
    transition._history_user = user
    transition.full_clean()
    transition.save()
    transaction.on_commit(
        lambda: notifications.enqueue_workflow_email(
            assessment_id=assessment.id, action=action, actor_id=user.id, note=note
        )
    )
    return transition


def _move(user, assessment: Assessment, action: str, note: str = "", **fields) -> Assessment:
    locked = _lock(assessment)
    rule = require_transition(user, locked, action)
    from_status = locked.status
    locked.status = rule.target
    for name, value in fields.items():
        setattr(locked, name, value)
    locked._history_user = user
    locked.full_clean()
    locked.save()
    _record(user, locked, action, rule, note, from_status)
    return locked


@transaction.atomic
def assessment_submit(
    *, user, assessment: Assessment, note: str = "", share_with_hmic: bool | None = None
) -> Assessment:
    """PCC office staff send the draft to the chief constable. Every requirement must be answered."""
    locked = _lock(assessment)
    require_transition(user, locked, "submit")
    unanswered = [
        r.requirement.ref
        for r in locked.responses.select_related("requirement", "judgement")
        if r.status != "completed"
    ]
    if unanswered:
        raise ValidationError(
            {
                "__all__": f"Answer every requirement before submitting: {len(unanswered)} not completed "
                f"({', '.join(unanswered[:8])}{'…' if len(unanswered) > 8 else ''})"
            }
        )
    extra = {} if share_with_hmic is None else {"share_with_hmic": share_with_hmic}
    return _move(user, locked, "submit", note, **extra)


@transaction.atomic
def assessment_return(*, user, assessment: Assessment, note: str) -> Assessment:
    """Send a submitted or responded assessment back to draft, with the reason."""
    if not (note or "").strip():
        raise ValidationError({"note": "Enter the reason for returning the assessment"})
    return _move(user, assessment, "return", note.strip())


@transaction.atomic
def assessment_respond(*, user, assessment: Assessment, statement: str, note: str = "") -> Assessment:
    """The chief constable's statement on the assessment as a whole."""
    if not (statement or "").strip():
        raise ValidationError({"statement": "Enter the chief constable's statement"})
    return _move(
        user,
        assessment,
        "respond",
        note,
        chief_statement=statement.strip(),
        chief_statement_by=user,
        chief_statement_at=timezone.now(),
    )


@transaction.atomic
def assessment_sign_off(*, user, assessment: Assessment, statement: str, note: str = "") -> Assessment:
    """The PCC signs off with their annual assurance statement; refused while challenges are open."""
    locked = _lock(assessment)
    require_transition(user, locked, "sign_off")
    if not (statement or "").strip():
        raise ValidationError({"statement": "Enter the annual assurance statement"})
    open_challenges = list(
        locked.challenges.filter(status=ChallengeStatus.OPEN).select_related("response__requirement")
    )
    if open_challenges:
        raise Conflict(
            f"Close the {len(open_challenges)} open challenge{'s' if len(open_challenges) != 1 else ''} "
            "before signing off",
            details=[str(challenge) for challenge in open_challenges],
        )
    return _move(
        user,
        locked,
        "sign_off",
        note,
        assurance_statement=statement.strip(),
        signed_off_by=user,
        signed_off_at=timezone.now(),
    )


@transaction.atomic
def assessment_publish(*, user, assessment: Assessment, note: str = "") -> Assessment:
    """Freeze the assessment as a snapshot with its SHA-256; HMIC can then read it."""
    locked = _lock(assessment)
    require_transition(user, locked, "publish")
    now = timezone.now()
    published = _move(user, locked, "publish", note, published_by=user, published_at=now)
    payload = snapshot_payload(published)
    Snapshot.objects.create(assessment=published, payload=payload, sha256=snapshot_sha256(payload), created_at=now)
    # Anchor the chain's head outside the database once the publication is in it (robust: a
    # checkpoint that cannot be written is logged, and never undoes the publication).
    transaction.on_commit(audit_checkpoint, robust=True)
    return published


@transaction.atomic
def assessment_revise(*, user, assessment: Assessment, note: str = "") -> Assessment:
    """Start a new draft version from a published assessment; the published one stays as it is."""
    from assessments.services import populate_from

    locked = _lock(assessment)
    rule = require_transition(user, locked, "revise")
    if Assessment.objects.filter(supersedes=locked).exists():
        raise Conflict("A revision of this assessment has already been started")
    latest = (
        Assessment.objects.filter(force=locked.force, edition=locked.edition, period=locked.period)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    draft = Assessment(
        force=locked.force,
        edition=locked.edition,
        period=locked.period,
        revision=latest + 1,
        created_by=user,
        started_from=locked,
        supersedes=locked,
        share_with_hmic=locked.share_with_hmic,
    )
    draft._history_user = user
    draft.full_clean()
    draft.save()
    populate_from(source=locked, target=draft, user=user, keep_judgements=True)
    _record(user, draft, "revise", rule, note, AssessmentStatus.PUBLISHED)
    return draft


ACTIONS = {
    "submit": assessment_submit,
    "return": assessment_return,
    "respond": assessment_respond,
    "sign_off": assessment_sign_off,
    "publish": assessment_publish,
    "revise": assessment_revise,
}


# --- Challenges -----------------------------------------------------------------------------------


@transaction.atomic
def challenge_raise(*, user, assessment: Assessment, text: str, response=None) -> Challenge:
    """The PCC's side challenges one response, or the whole assessment."""
    locked = _lock(assessment)
    require_can_raise(user, locked)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter the challenge"})
    if response is not None and response.assessment_id != locked.id:
        raise ValidationError({"response": "Choose a requirement of this assessment"})
    challenge = Challenge(assessment=locked, response=response, text=text.strip(), raised_by=user)
    challenge._history_user = user
    challenge.full_clean()
    challenge.save()
    transaction.on_commit(
        lambda: notifications.enqueue_challenge_email(challenge_id=challenge.id, event="raised", actor_id=user.id)
    )
    return challenge


def _guard_thread(user, challenge: Challenge, allowed: bool, conflict: str, denied: str) -> None:
    """409 when the thread or the assessment has moved on, 403 when the user may never do this."""
    if allowed:
        return
    if not challenge.is_open or challenge.assessment.status not in CHALLENGE_STATES:
        raise Conflict(conflict)
    raise PermissionDenied(denied)


def require_can_raise(user, assessment: Assessment) -> None:
    """The state first (409), then who is asking (403)."""
    if can_raise_challenge(user, assessment):
        return
    if assessment.status not in CHALLENGE_STATES:
        raise Conflict("Challenges can be raised only while the chief constable is answering")
    raise PermissionDenied("Only the PCC or their office can raise a challenge")


def require_can_reply(user, challenge: Challenge) -> None:
    """The reply rule with its refusals; the page checks it before showing the form, the service again
    under lock."""
    _guard_thread(
        user,
        challenge,
        can_reply_to_challenge(user, challenge),
        "This challenge is closed or the assessment has moved on",
        "You cannot reply to this challenge",
    )


def require_can_close(user, challenge: Challenge) -> None:
    _guard_thread(
        user,
        challenge,
        can_close_challenge(user, challenge),
        "This challenge is already closed or the assessment has moved on",
        "Only the PCC or their office can close a challenge",
    )


def _lock_challenge(challenge: Challenge) -> Challenge:
    _lock(challenge.assessment)
    return (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("assessment", "response__requirement")
        .get(pk=challenge.pk)
    )


@transaction.atomic
def challenge_reply(*, user, challenge: Challenge, text: str) -> ChallengeReply:
    locked = _lock_challenge(challenge)
    require_can_reply(user, locked)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter your reply"})
    reply = ChallengeReply(challenge=locked, author=user, text=text.strip())
    reply._history_user = user
    reply.full_clean()
    reply.save()
    transaction.on_commit(
        lambda: notifications.enqueue_challenge_email(challenge_id=locked.id, event="replied", actor_id=user.id)
    )
    return reply


@transaction.atomic
def challenge_close(*, user, challenge: Challenge, note: str = "") -> Challenge:
    locked = _lock_challenge(challenge)
    require_can_close(user, locked)
    locked.status = ChallengeStatus.CLOSED
    locked.closed_by = user
    locked.closed_at = timezone.now()
    locked.closing_note = (note or "").strip()
    locked._history_user = user
    locked.full_clean()
    locked.save()
    transaction.on_commit(
        lambda: notifications.enqueue_challenge_email(challenge_id=locked.id, event="closed", actor_id=user.id)
    )
    return locked
