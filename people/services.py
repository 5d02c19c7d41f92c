"""Writes for people and invitations. Each takes the acting user, checks they may, writes in one
transaction and records who did what in the audit trail; e-mails leave through Celery after commit.

Rules every write keeps: a national administrator manages everyone, a force administrator only the
people of their forces and only in force roles; nobody changes their own role, force or access; the
last active national administrator is never removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.models import AuditEntry
from core.roles import FORCE_ROLES, ROLES_BY_SLUG, Role, ensure_groups
from forces.models import Force, Membership
from people import mail, tasks
from people.models import Invitation, InvitationStatus, Profile
from people.permissions import can_manage_people, grantable_roles, managed_force_ids, may_grant, role_of

logger = logging.getLogger(__name__)
CREATED, CHANGED, DELETED = AuditEntry.Action.CREATED, AuditEntry.Action.CHANGED, AuditEntry.Action.DELETED


# --- Tokens and links ------------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    """The absolute one-time link for a token (settings.SITE_URL + the acceptance page)."""
    return settings.SITE_URL + reverse("people:accept", kwargs={"token": token})


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def _expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=settings.SPR_INVITATION_DAYS)


# --- Names ---------------------------------------------------------------------------------------


def person_name_set(person, *, name: str, job_title: str) -> dict:
    """Set a person's full name and job title (the caller saves nothing else); answers the changes."""
    before = {"name": person.get_full_name(), "job_title": ""}
    profile, _created = Profile.objects.get_or_create(user=person)
    before["job_title"] = profile.job_title
    person.first_name, person.last_name = name.strip(), ""
    person.save(update_fields=["first_name", "last_name"])
    profile.job_title = job_title.strip()
    profile.save(update_fields=["job_title"])
    after = {"name": person.get_full_name(), "job_title": profile.job_title}
    return {key: [before[key], after[key]] for key in after if before[key] != after[key]}


# --- Roles and forces ------------------------------------------------------------------------------


def _role(slug: str) -> Role:
    try:
        return ROLES_BY_SLUG[slug]
    except KeyError:
        raise ValidationError({"role": _("Select a role")}) from None


def _check_role_and_force(user, role: Role, force: Force | None) -> Force | None:
    if role in FORCE_ROLES and force is None:
        raise ValidationError({"force": _("Select the force they will work for")})
    if role not in FORCE_ROLES:
        force = None
    if not may_grant(user, role, force.pk if force else None):
        raise PermissionDenied(_("You cannot give this role in this force"))
    return force


def _active_national_admins():
    return (
        get_user_model()
        .objects.filter(Q(groups__name=Role.NATIONAL_ADMIN.value) | Q(is_superuser=True), is_active=True)
        .distinct()
    )


def _keeps_a_national_admin(person) -> None:
    """Refuse a change that would leave no active national administrator."""
    if role_of(person) is Role.NATIONAL_ADMIN and not _active_national_admins().exclude(pk=person.pk).exists():
        raise ValidationError(_("You cannot remove the last national administrator"))


def _check_may_act_on(user, person) -> None:
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot manage people"))
    if person.pk == user.pk:
        raise PermissionDenied(_("You cannot change your own role, force or access"))
    current = role_of(person)
    if current is not None and current not in grantable_roles(user):
        raise PermissionDenied(_("You cannot change this person"))
    managed = managed_force_ids(user)
    if managed is not None and not Membership.objects.filter(user=person, force_id__in=managed).exists():
        raise PermissionDenied(_("You cannot change this person"))


def _assign(*, actor, person, role: Role, force: Force | None) -> dict:
    """Give the person exactly this role (and, for a force role, exactly this force); audited."""
    groups = ensure_groups()
    held = {group.name for group in person.groups.all()}
    spr_groups = [groups[r] for r in Role if r.value in held and r is not role]
    if spr_groups:
        person.groups.remove(*spr_groups)
    person.groups.add(groups[role])
    if hasattr(person, "_spr_roles"):
        del person._spr_roles
    changes = {}
    old_roles = sorted(r.slug for r in Role if r.value in held)
    if old_roles != [role.slug]:
        changes["role"] = [", ".join(old_roles), role.slug]
    memberships = list(Membership.objects.filter(user=person).select_related("force"))
    for membership in memberships:
        if force is None or membership.force_id != force.pk:
            audit_record(actor=actor, action=DELETED, instance=membership, changes={"force": membership.force.code})
            membership.delete()
    if force is not None and not any(m.force_id == force.pk for m in memberships):
        membership = Membership.objects.create(user=person, force=force)
        audit_record(actor=actor, action=CREATED, instance=membership, changes={"force": force.code})
    old_forces = sorted(m.force.code for m in memberships)
    new_forces = [force.code] if force else []
    if old_forces != new_forces:
        changes["force"] = [", ".join(old_forces), ", ".join(new_forces)]
    if hasattr(person, "_spr_force_ids"):  # forces.scoping's per-request cache
        del person._spr_force_ids
    return changes


def _audit_person(*, actor, person, action, changes: dict, force: Force | None = None) -> None:
    audit_record(
        actor=actor,
        action=action,
        instance=person,
        object_repr=person.get_full_name() or person.get_username(),
        force_id=force.pk if force else None,
        changes=changes,
    )


# --- Invitations -------------------------------------------------------------------------------------


def _send_after_commit(invitation: Invitation, link: str) -> None:
    def enqueue():
        try:
            tasks.send_invitation.delay(invitation.pk, link)
        except Exception:  # noqa: BLE001 — the broker is down: send it from here rather than lose it
            logger.exception("Could not queue the invitation e-mail; sending it directly")
            mail.invitation_email_send(invitation_id=invitation.pk, link=link)

    transaction.on_commit(enqueue)


@transaction.atomic
def invitation_create(
    *, user, email: str, name: str, job_title: str, role: str, force: Force | None
) -> tuple[Invitation, str]:
    """Invite a person by e-mail; answers the invitation and its one-time link (shown to the inviter
    once, e-mailed to the invitee after commit). Refuses a role or force the inviter may not give,
    an address that already has an account and one already invited."""
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot invite people"))
    granted = _role(role)
    force = _check_role_and_force(user, granted, force)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    if get_user_model().objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": _("A person with this e-mail address already has an account")})
    if Invitation.objects.filter(email__iexact=email, status=InvitationStatus.PENDING).exists():
        raise ValidationError({"email": _("This e-mail address already has a pending invitation")})
    token, hashed = _new_token()
    invitation = Invitation(
        email=email,
        name=name.strip(),
        job_title=job_title.strip(),
        role=granted.slug,
        force=force,
        token_hash=hashed,
        created_by=user,
        expires_at=_expiry(),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=user,
        action=CREATED,
        instance=invitation,
        changes={"email": email, "name": invitation.name, "job_title": invitation.job_title, "role": granted.slug},
    )
    link = invitation_link(token)
    _send_after_commit(invitation, link)
    return invitation, link


def _pending(user, invitation: Invitation) -> Invitation:
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot manage invitations"))
    managed = managed_force_ids(user)
    if managed is not None and locked.force_id not in managed:
        raise PermissionDenied(_("You cannot manage this invitation"))
    if locked.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been accepted or cancelled"))
    return locked


@transaction.atomic
def invitation_resend(*, user, invitation: Invitation) -> tuple[Invitation, str]:
    """Send a new link (the old one stops working) with a new expiry."""
    locked = _pending(user, invitation)
    token, locked.token_hash = _new_token()
    locked.sent_at, locked.expires_at = timezone.now(), _expiry()
    locked.save(update_fields=["token_hash", "sent_at", "expires_at"])
    audit_record(actor=user, action=CHANGED, instance=locked, changes={"resent": True, "expires_at": locked.expires_at})
    link = invitation_link(token)
    _send_after_commit(locked, link)
    return locked, link


@transaction.atomic
def invitation_cancel(*, user, invitation: Invitation) -> Invitation:
    """Cancel a pending invitation: its link stops working."""
    locked = _pending(user, invitation)
    locked.status = InvitationStatus.CANCELLED
    locked.save(update_fields=["status"])
    audit_record(actor=user, action=CHANGED, instance=locked, changes={"status": ["pending", "cancelled"]})
    return locked


def invitation_for_token(token: str) -> Invitation | None:
    """The pending, unexpired invitation a link's token belongs to, else None."""
    if not token or len(token) > 200:
        return None
    invitation = Invitation.objects.select_related("force", "user").filter(token_hash=token_hash(token)).first()
    return invitation if invitation is not None and invitation.is_usable else None


def invitation_user(invitation: Invitation):
    """The account an invitation completes: create_admin's, or an unsaved one for password checks."""
    if invitation.user_id:
        return invitation.user
    return get_user_model()(username=invitation.email, email=invitation.email, first_name=invitation.name)


@transaction.atomic
def invitation_accept(*, token: str, password: str):
    """Accept an invitation: set the password and put the person in the invited role and force. The
    token works once; answers the account."""
    found = invitation_for_token(token)
    if found is None:
        raise ValidationError(_("This link has expired or has already been used"))
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if not invitation.is_usable:
        raise ValidationError(_("This link has expired or has already been used"))
    User = get_user_model()
    person = invitation.user if invitation.user_id else None
    created = person is None
    if created:
        if User.objects.filter(username__iexact=invitation.email).exists():
            raise ValidationError(_("A person with this e-mail address already has an account"))
        person = User(username=invitation.email, email=invitation.email)
    person.is_active = True
    person.set_password(password)
    person.save()
    changes = person_name_set(person, name=invitation.name, job_title=invitation.job_title)
    role = ROLES_BY_SLUG[invitation.role]
    changes |= _assign(actor=person, person=person, role=role, force=invitation.force)
    if role is Role.NATIONAL_ADMIN:
        # The admin site is a national administrator's tool.
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    _audit_person(
        actor=person,
        action=CREATED if created else CHANGED,
        person=person,
        changes={**changes, "invitation": invitation.pk, "password": "set"},
        force=invitation.force,
    )
    invitation.status, invitation.accepted_at, invitation.user = InvitationStatus.ACCEPTED, timezone.now(), person
    invitation.save(update_fields=["status", "accepted_at", "user"])
    audit_record(actor=person, action=CHANGED, instance=invitation, changes={"status": ["pending", "accepted"]})
    return person


# --- People ------------------------------------------------------------------------------------------


@transaction.atomic
def person_update(*, user, person, name: str, job_title: str, role: str, force: Force | None):
    """Change a person's name, job title, role and force (audited)."""
    _check_may_act_on(user, person)
    granted = _role(role)
    force = _check_role_and_force(user, granted, force)
    if granted is not Role.NATIONAL_ADMIN:
        _keeps_a_national_admin(person)
    changes = person_name_set(person, name=name, job_title=job_title)
    changes |= _assign(actor=user, person=person, role=granted, force=force)
    if changes:
        _audit_person(actor=user, action=CHANGED, person=person, changes=changes, force=force)
    return person


@transaction.atomic
def own_details_update(*, user, name: str, job_title: str, digest_only: bool | None = None):
    """A person changes their own name, job title and reminder preference (never their role, force or
    access); audited. `digest_only` None leaves the preference as it is."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to change your details"))
    changes = person_name_set(user, name=name, job_title=job_title)
    if digest_only is not None:
        profile, _created = Profile.objects.get_or_create(user=user)
        if profile.digest_only != digest_only:
            changes["digest_only"] = [profile.digest_only, digest_only]
            profile.digest_only = digest_only
            profile.save(update_fields=["digest_only"])
    if changes:
        membership = user.memberships.select_related("force").first()
        _audit_person(
            actor=user, action=CHANGED, person=user, changes=changes, force=getattr(membership, "force", None)
        )
    return user


@transaction.atomic
def person_deactivate(*, user, person):
    """Stop a person signing in (their name stays on everything they did)."""
    _check_may_act_on(user, person)
    if not person.is_active:
        return person
    _keeps_a_national_admin(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    membership = person.memberships.select_related("force").first()
    _audit_person(
        actor=user,
        action=CHANGED,
        person=person,
        changes={"active": [True, False]},
        force=getattr(membership, "force", None),
    )
    return person


@transaction.atomic
def person_reactivate(*, user, person):
    """Let a deactivated person sign in again."""
    _check_may_act_on(user, person)
    if person.is_active:
        return person
    person.is_active = True
    person.save(update_fields=["is_active"])
    membership = person.memberships.select_related("force").first()
    _audit_person(
        actor=user,
        action=CHANGED,
        person=person,
        changes={"active": [False, True]},
        force=getattr(membership, "force", None),
    )
    return person


@transaction.atomic
def admin_bootstrap(*, email: str, name: str = "") -> tuple[object, str]:
    """The first national administrator of a fresh database (manage.py create_admin): an account with
    no usable password and a one-time link that sets it. Run again for the same address, it issues a
    new link (the previous one stops working)."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip()).lower()
    person = User.objects.filter(username__iexact=email).first()
    if person is not None and person.has_usable_password():
        raise ValidationError(_("%(email)s already has an account with a password") % {"email": email})
    if person is None:
        person = User(username=email, email=email, is_active=False)
        person.set_unusable_password()
        person.save()
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person_name_set(person, name=name or person.get_full_name(), job_title=_("National administrator"))
    _assign(actor=None, person=person, role=Role.NATIONAL_ADMIN, force=None)
    Invitation.objects.filter(user=person, status=InvitationStatus.PENDING).update(status=InvitationStatus.CANCELLED)
    token, hashed = _new_token()
    invitation = Invitation.objects.create(
        email=email,
        name=name or person.get_full_name() or email,
        job_title=_("National administrator"),
        role=Role.NATIONAL_ADMIN.slug,
        token_hash=hashed,
        expires_at=_expiry(),
        user=person,
    )
    _audit_person(
        actor=None, action=CREATED, person=person, changes={"role": Role.NATIONAL_ADMIN.slug, "by": "create_admin"}
    )
    audit_record(actor=None, action=CREATED, instance=invitation, changes={"email": email, "by": "create_admin"})
    return person, invitation_link(token)
