"""The workflow's e-mails: who is told what, in words a police and crime commissioner's office would
write, with absolute links (settings.SITE_URL) and a plain-text and an HTML part.

They are sent by Celery workers (assessments.tasks), never inside a web request: the workflow
enqueues a task once its transaction commits (`enqueue_*`), and the task reads the rows afresh and
calls `workflow_email` or `challenge_email`. The messages are built from templates/email/
notification.txt and .html; every sentence is translatable.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from assessments.models import Assessment, Challenge
from assessments.records.base import person_of
from assessments.transitions import TRANSITIONS
from core.roles import FORCE_ROLES, NATIONAL_ROLES, Role, has_role

logger = logging.getLogger(__name__)

WORKFLOW_TASK = "assessments.send_workflow_email"
CHALLENGE_TASK = "assessments.send_challenge_email"

_suppressed: contextvars.ContextVar[bool] = contextvars.ContextVar("spr_emails_suppressed", default=False)


@contextlib.contextmanager
def suppressed():
    """No workflow e-mail is queued inside this block (demo seeding: there is nobody to tell, and
    thousands of queued messages would hold up the workers)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


@dataclass
class Message:
    """One e-mail's words: a subject, paragraphs, an optional quotation, and the link to act on."""

    subject: str
    paragraphs: list[str]
    link_text: str
    url: str
    quote: str = ""
    quote_label: str = ""
    recipients: list[str] = field(default_factory=list)


def absolute(path: str) -> str:
    """A link that works from an inbox: the service's address, then the path."""
    return f"{settings.SITE_URL}{path}"


def recipients_of(force_id: int, roles: tuple[Role, ...], exclude_id: int | None) -> list[str]:
    """E-mail addresses of the force's users holding `roles`, plus national users holding them."""
    force_roles = [role.value for role in roles if role in FORCE_ROLES]
    national_roles = [role.value for role in roles if role in NATIONAL_ROLES]
    users = get_user_model().objects.filter(
        Q(groups__name__in=force_roles, memberships__force_id=force_id) | Q(groups__name__in=national_roles),
        is_active=True,
    )
    return sorted({email for email in users.exclude(pk=exclude_id).values_list("email", flat=True) if email})


#: Who acted, in words, for an account that records no name: by the role they acted in.
ROLE_WORDS = {
    Role.PCC: _lazy("The police and crime commissioner"),
    Role.CHIEF_CONSTABLE: _lazy("The chief constable"),
    Role.PCC_STAFF: _lazy("The PCC’s office"),
    Role.NATIONAL_ADMIN: _lazy("A national administrator"),
    Role.INSPECTOR: _lazy("An HMICFRS inspector"),
}


def _name(user_id: int | None) -> str:
    """Someone as an e-mail names them: "Name, job title"; never a login (an account with no name is
    named by its role)."""
    # The profile (job title) with the user: one query a name, not two.
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first() if user_id else None
    if user is None:
        return _("Someone")
    person = person_of(user)
    if person and person.name:
        return person.label
    for role, words in ROLE_WORDS.items():
        if has_role(user, role):
            return str(words)
    return _("Someone")


def send(message: Message) -> int:
    """Send one message with its plain-text and HTML parts; returns how many were sent (0 or 1)."""
    if not message.recipients:
        return 0
    context = {"message": message, "service": settings.SPR_SERVICE_NAME}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
    )
    email.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    return email.send(fail_silently=False)


# --- After a transition -------------------------------------------------------------------------------


def workflow_message(*, assessment: Assessment, action: str, actor_id: int, note: str = "") -> Message:
    """What the next actor is told after a transition (`action`, a key of TRANSITIONS)."""
    who = _name(actor_id)
    names = {
        "force": assessment.force.name,
        "period": assessment.period,
        "who": who,
        "revision": assessment.revision,
    }
    url = absolute(reverse("assessments:detail", args=[assessment.pk]))
    words = {
        "submit": (
            _("%(force)s SPR self-assessment for %(period)s is ready for your response"),
            _(
                "%(who)s has submitted %(force)s’s self-assessment against the Strategic Policing Requirement "
                "for %(period)s. It is ready for the chief constable’s response."
            ),
            _("Read the self-assessment and give your response"),
        ),
        "return": (
            _("%(force)s SPR self-assessment for %(period)s has been sent back for changes"),
            _("%(who)s has sent %(force)s’s self-assessment for %(period)s back to the PCC’s office for changes."),
            _("Make the changes"),
        ),
        "respond": (
            _("The chief constable has responded to the %(force)s SPR self-assessment for %(period)s"),
            _(
                "%(who)s has given the chief constable’s response to %(force)s’s self-assessment for "
                "%(period)s. It is ready for the police and crime commissioner to review and sign off."
            ),
            _("Read the response"),
        ),
        "sign_off": (
            _("%(force)s SPR self-assessment for %(period)s has been signed off"),
            _(
                "%(who)s has signed off %(force)s’s self-assessment for %(period)s. The next step is to publish "
                "it to His Majesty’s Inspectorate of Constabulary and Fire & Rescue Services (HMICFRS)."
            ),
            _("Read the signed-off self-assessment"),
        ),
        "publish": (
            _("%(force)s has published its SPR self-assessment for %(period)s"),
            _(
                "%(who)s has published %(force)s’s self-assessment against the Strategic Policing Requirement "
                "for %(period)s. HMICFRS inspectors can now read it."
            ),
            _("Read the published self-assessment"),
        ),
        "revise": (
            _("A revision of the %(force)s SPR self-assessment for %(period)s has started"),
            _(
                "%(who)s has started revision %(revision)s of %(force)s’s self-assessment for %(period)s. The "
                "published version stays as it is until the revision is published."
            ),
            _("Open the revision"),
        ),
    }
    subject, paragraph, link_text = words[action]
    return Message(
        subject=subject % names,
        paragraphs=[paragraph % names],
        link_text=link_text,
        url=url,
        quote=note,
        quote_label=_("The reason given") if action == "return" else _("Note"),
        recipients=recipients_of(assessment.force_id, TRANSITIONS[action].notify, actor_id),
    )


def workflow_email(*, assessment_id: int, action: str, actor_id: int, note: str = "") -> int:
    """E-mail the next actor(s) about a committed transition; returns the number of messages sent."""
    assessment = Assessment.objects.select_related("force").filter(pk=assessment_id).first()
    if assessment is None:
        return 0
    return send(workflow_message(assessment=assessment, action=action, actor_id=actor_id, note=note))


# --- Challenges ---------------------------------------------------------------------------------------


def challenge_message(*, challenge: Challenge, event: str, actor_id: int) -> Message:
    """What the chief constable (a new challenge), the challenger (a reply) or both (closed) are told."""
    assessment = challenge.assessment
    names = {
        "force": assessment.force.name,
        "period": assessment.period,
        "who": _name(actor_id),
        "ref": challenge.response.requirement.ref if challenge.response_id else "",
    }
    on = (
        _("requirement %(ref)s of %(force)s’s self-assessment for %(period)s")
        if challenge.response_id
        else _("%(force)s’s self-assessment for %(period)s as a whole")
    ) % names
    url = absolute(reverse("assessments:challenges", args=[assessment.pk]))
    if event == "raised":
        recipients = recipients_of(assessment.force_id, (Role.CHIEF_CONSTABLE,), actor_id)
        subject = _("New challenge on the %(force)s SPR self-assessment for %(period)s") % names
        paragraph = _("%(who)s has raised a challenge on %(on)s.") % {**names, "on": on}
        quote, quote_label, link_text = challenge.text, _("The challenge"), _("Read the challenge and reply")
    else:
        owner = [challenge.raised_by.email] if challenge.raised_by_id != actor_id and challenge.raised_by.email else []
        chiefs = recipients_of(assessment.force_id, (Role.CHIEF_CONSTABLE,), actor_id) if event == "closed" else []
        recipients = sorted(set(owner + chiefs))
        if event == "replied":
            reply = challenge.replies.order_by("-created_at", "-id").first()
            subject = _("Reply to the challenge on the %(force)s SPR self-assessment for %(period)s") % names
            paragraph = _("%(who)s has replied to the challenge on %(on)s.") % {**names, "on": on}
            quote, quote_label, link_text = (reply.text if reply else ""), _("The reply"), _("Read the reply")
        else:
            subject = _("Challenge closed on the %(force)s SPR self-assessment for %(period)s") % names
            paragraph = _("%(who)s has closed the challenge on %(on)s.") % {**names, "on": on}
            quote, quote_label, link_text = challenge.closing_note, _("Closing note"), _("Read the challenge")
    return Message(
        subject=subject,
        paragraphs=[paragraph],
        link_text=link_text,
        url=url,
        quote=quote,
        quote_label=quote_label,
        recipients=recipients,
    )


def challenge_email(*, challenge_id: int, event: str, actor_id: int) -> int:
    challenge = (
        Challenge.objects.select_related("assessment__force", "raised_by", "response__requirement")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None:
        return 0
    return send(challenge_message(challenge=challenge, event=event, actor_id=actor_id))


# --- Enqueueing (called from transaction.on_commit) ---------------------------------------------------


def _enqueue(task_name: str, kwargs: dict) -> bool:
    """Hand the e-mail to a worker. A broker that is down must not fail the request whose work has
    already committed: the e-mail is logged as not sent instead."""
    from celery import current_app

    if _suppressed.get():
        return False
    try:
        current_app.send_task(task_name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 — whatever the transport raises, the transition stands
        logger.exception("Could not queue e-mail task %s %s: the broker is unavailable", task_name, kwargs)
        return False
    return True


def queue_email_task(task_name: str, kwargs: dict) -> bool:
    """Hand an e-mail task of any app to a worker, as the workflow's are handed (not while
    `suppressed()`; a broker that is down is logged, never raised). For apps above this one."""
    return _enqueue(task_name, kwargs)


def enqueue_workflow_email(*, assessment_id: int, action: str, actor_id: int, note: str = "") -> bool:
    return _enqueue(
        WORKFLOW_TASK, {"assessment_id": assessment_id, "action": action, "actor_id": actor_id, "note": note}
    )


def enqueue_challenge_email(*, challenge_id: int, event: str, actor_id: int) -> bool:
    return _enqueue(CHALLENGE_TASK, {"challenge_id": challenge_id, "event": event, "actor_id": actor_id})
