"""The invitation e-mail (who invited whom, as what, and the one-time link) and the access request
e-mail (someone signed in by single sign-on with no mapped group)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.people import display_name
from core.roles import ROLES_BY_SLUG, Role
from people.models import Invitation, InvitationStatus, PendingSsoUser


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


def sso_access_request_email_send(*, pending_id: int) -> None:
    """E-mail administrators that someone has no access yet (called by the Celery task after commit)."""
    pending = PendingSsoUser.objects.select_related("force").filter(pk=pending_id, dismissed_at__isnull=True).first()
    if pending is None:
        return
    # Every active national administrator, and the force administrators of the force whose people
    # share the person's e-mail domain.
    admins = get_user_model().objects.filter(
        Q(groups__name=Role.NATIONAL_ADMIN.value) | Q(is_superuser=True), is_active=True
    )
    recipients = set(admins.exclude(email="").values_list("email", flat=True))
    if pending.force_id:
        force_admins = get_user_model().objects.filter(
            groups__name=Role.FORCE_ADMIN.value, memberships__force_id=pending.force_id, is_active=True
        )
        recipients |= set(force_admins.exclude(email="").values_list("email", flat=True))
    if not recipients:
        return
    who = pending.name or pending.email or pending.uid
    subject = _("%(who)s asks for access to %(service)s") % {"who": who, "service": settings.SPR_SERVICE_NAME}
    groups = ", ".join(pending.groups) or _("none")
    body = "\n\n".join(
        [
            _(
                "%(who)s (%(email)s) signed in with single sign-on but has no access yet: "
                "none of their groups is mapped to a role."
            )
            % {"who": who, "email": pending.email or _("no e-mail address")},
            _("Their groups: %(groups)s") % {"groups": groups},
            _("Invite them, or map one of their groups to a role, on the people page:"),
            settings.SITE_URL + reverse("people:list"),
        ]
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, sorted(recipients), fail_silently=False)
