"""The invitation e-mail: who invited whom, as what, and the one-time link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from core.people import display_name
from core.roles import ROLES_BY_SLUG
from people.models import Invitation, InvitationStatus


def invitation_email_send(*, invitation_id: int, link: str) -> None:
    """E-mail the invitation's link (called by the Celery task after commit)."""
    invitation = Invitation.objects.select_related("force", "created_by", "created_by__profile").get(pk=invitation_id)
    if invitation.status != InvitationStatus.PENDING:
        return
    role = ROLES_BY_SLUG[invitation.role]
    where = f" ({invitation.force.name})" if invitation.force else ""
    inviter = display_name(invitation.created_by) or settings.SPR_SERVICE_NAME
    subject = _("You are invited to %(service)s") % {"service": settings.SPR_SERVICE_NAME}
    body = "\n\n".join(
        [
            _("Dear %(name)s,") % {"name": invitation.name},
            _("%(inviter)s has invited you to %(service)s as %(role)s%(where)s.")
            % {"inviter": inviter, "service": settings.SPR_SERVICE_NAME, "role": role.value, "where": where},
            _("Set your password to accept (this link works once, until %(expiry)s):")
            % {"expiry": timezone.localtime(invitation.expires_at).strftime("%-d %B %Y %H:%M")},
            link,
            _("If you did not expect this e-mail, you can ignore it."),
        ]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.email], fail_silently=False)
