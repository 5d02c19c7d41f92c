"""The HMIC workspace's e-mails: the force's PCC office staff and chief constable are told of a new
evidence request or finding; the inspector who raised it is told of the force's answer or response.

Sent by a Celery worker (inspection.tasks) after the change commits, never in the web request, with
the workflow e-mails' templates and sending (assessments.notifications): absolute links, a
plain-text and an HTML part, every sentence translatable.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.notifications import Message, absolute, queue_email_task, recipients_of, send
from core.people import display_name
from core.templatetags.govuk import govuk_date
from inspection.models import EvidenceRequest, Finding
from inspection.permissions import ANSWERING_ROLES

TASK = "inspection.send_inspection_email"
#: event → (model, whether the force (True) or the inspector who raised it (False) is told)
EVENTS = {
    "request_raised": (EvidenceRequest, True),
    "request_answered": (EvidenceRequest, False),
    "finding_recorded": (Finding, True),
    "finding_responded": (Finding, False),
}


def _who(user_id: int | None) -> str:
    user = get_user_model().objects.select_related("profile").filter(pk=user_id).first() if user_id else None
    return display_name(user) if user is not None else _("Someone")


def inspection_message(*, event: str, obj, actor_id: int) -> Message:
    """What the force (a new request or finding) or the inspector (an answer or a response) is told."""
    names = {"force": obj.force.name, "who": _who(actor_id)}
    if isinstance(obj, EvidenceRequest):
        url = absolute(reverse("inspection:request-detail", args=[obj.pk]))
        names["due"] = govuk_date(obj.due_date)
        names["refs"] = ", ".join(r.ref for r in obj.requirements.order_by("position"))
    else:
        url = absolute(reverse("inspection:finding-detail", args=[obj.pk]))
        names["kind"] = obj.get_kind_display().lower()
        names["period"] = obj.period
    if event == "request_raised":
        subject = _("HMICFRS has asked %(force)s for evidence") % names
        paragraph = _("%(who)s has asked %(force)s for evidence against %(refs)s of the SPR by %(due)s.") % names
        quote, quote_label, link_text = obj.text, _("The request"), _("Answer the request")
    elif event == "request_answered":
        subject = _("%(force)s has answered your evidence request") % names
        paragraph = _("%(who)s has answered your evidence request to %(force)s.") % names
        quote, quote_label, link_text = obj.answer_note, _("Their note"), _("Read the answer")
    elif event == "finding_recorded":
        subject = _("HMICFRS has recorded a finding for %(force)s") % names
        paragraph = _("%(who)s has recorded a finding for %(force)s for %(period)s: %(kind)s.") % names
        quote, quote_label, link_text = obj.text, _("The finding"), _("Read the finding and respond")
    else:
        subject = _("%(force)s has responded to your finding") % names
        paragraph = _("%(who)s has responded to your finding (%(kind)s) for %(force)s.") % names
        quote, quote_label, link_text = obj.response, _("Their response"), _("Read the response")
    _model, to_force = EVENTS[event]
    if to_force:
        recipients = recipients_of(obj.force_id, ANSWERING_ROLES, actor_id)
    else:
        raiser = obj.raised_by if isinstance(obj, EvidenceRequest) else obj.recorded_by
        recipients = [raiser.email] if raiser.email and raiser.is_active else []
    return Message(
        subject=subject,
        paragraphs=[paragraph],
        link_text=link_text,
        url=url,
        quote=quote,
        quote_label=quote_label,
        recipients=recipients,
    )


def inspection_email(*, event: str, object_id: int, actor_id: int) -> int:
    """Send one event's e-mail, reading the row afresh; returns the number of messages sent."""
    model, _to_force = EVENTS[event]
    obj = model.objects.select_related("force").filter(pk=object_id).first()
    if obj is None:
        return 0
    return send(inspection_message(event=event, obj=obj, actor_id=actor_id))


def enqueue_inspection_email(*, event: str, object_id: int, actor_id: int) -> bool:
    return queue_email_task(TASK, {"event": event, "object_id": object_id, "actor_id": actor_id})
