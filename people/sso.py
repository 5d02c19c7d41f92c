"""Single sign-on group mapping: which role and force a provider's group (or app role) claim gives,
the people it creates or updates at sign-in, and the access requests of those it does not map.

Rules: a national administrator maps any group to any role; a force administrator maps only to force
roles in their own forces (people.permissions.may_grant). Every mapping change, every person made or
changed by a mapping and every dismissed request is recorded in the audit trail. An unmapped person
gets nothing but a `PendingSsoUser` row; their administrators are e-mailed (through Celery, after
commit) at most once a day per person.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.roles import ROLES_BY_SLUG, Role
from forces.models import Force, Membership
from people import tasks
from people.models import PendingSsoUser, SsoGroupMapping
from people.permissions import can_manage_people, managed_force_ids, role_of
from people.services import (
    CHANGED,
    CREATED,
    DELETED,
    _active_national_admins,
    _assign,
    _audit_person,
    _check_role_and_force,
    _role,
    person_name_set,
)

logger = logging.getLogger(__name__)

#: When one person's groups match several mappings, the first role here wins.
ROLE_PRECEDENCE = (
    Role.NATIONAL_ADMIN,
    Role.INSPECTOR,
    Role.FORCE_ADMIN,
    Role.PCC,
    Role.CHIEF_CONSTABLE,
    Role.PCC_STAFF,
)
#: An unmapped person's administrators are e-mailed at most this often about them.
NOTIFY_EVERY = dt.timedelta(days=1)


# --- Claims ----------------------------------------------------------------------------------------


def claims_of(sociallogin) -> dict:
    """The ID token's claims (signature checked), with the userinfo answer filling any gaps."""
    extra = sociallogin.account.extra_data or {}
    id_token = extra.get("id_token") if isinstance(extra.get("id_token"), dict) else {}
    userinfo = extra.get("userinfo") if isinstance(extra.get("userinfo"), dict) else {}
    if not id_token and not userinfo:
        return dict(extra)
    return {**userinfo, **id_token}


def groups_of(claims: dict) -> list[str]:
    """The values of the configured groups claim (settings.SPR_OIDC_GROUPS_CLAIM), as strings."""
    value = claims.get(settings.SPR_OIDC_GROUPS_CLAIM) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        return []
    return [str(item)[:200] for item in value if isinstance(item, str | int) and str(item).strip()][:200]


def name_of(claims: dict) -> str:
    name = str(claims.get("name") or "").strip()
    if not name:
        name = " ".join(str(claims.get(key) or "").strip() for key in ("given_name", "family_name")).strip()
    return name[:150]


def mapping_for(groups: list[str]) -> SsoGroupMapping | None:
    """The mapping a person with these groups gets: the highest role among the matching mappings."""
    if not groups:
        return None
    found = list(SsoGroupMapping.objects.select_related("force").filter(group__in=groups))
    if not found:
        return None
    return min(found, key=lambda m: (ROLE_PRECEDENCE.index(ROLES_BY_SLUG[m.role]), m.group))


# --- Mappings ----------------------------------------------------------------------------------------


def mapping_list(*, user) -> QuerySet[SsoGroupMapping]:
    """The mappings the user may see: all for a national administrator, their forces' for a force
    administrator, none for anyone else."""
    # Scoped by force (a force administrator's forces are the ones they manage); a miss on a mapping
    # the user may not see is recorded as a denied access.
    scoped = SsoGroupMapping.objects.select_related("force").visible_to(user)
    return scoped if can_manage_people(user) else scoped.none()


def mapping_get(*, user, pk) -> SsoGroupMapping:
    return get_object_or_404(mapping_list(user=user), pk=pk)


def _describe(mapping: SsoGroupMapping) -> dict:
    return {"group": mapping.group, "role": mapping.role, "force": mapping.force.code if mapping.force else None}


@transaction.atomic
def mapping_create(*, user, group: str, role: str, force: Force | None) -> SsoGroupMapping:
    """Map a group claim value to a role (and force); audited. Refuses what the user may not grant."""
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot map single sign-on groups"))
    granted = _role(role)
    force = _check_role_and_force(user, granted, force)
    group = group.strip()
    if not group:
        raise ValidationError({"group": _("Enter the group claim value")})
    if SsoGroupMapping.objects.filter(group=group).exists():
        raise ValidationError({"group": _("This group is already mapped")})
    mapping = SsoGroupMapping(group=group, role=granted.slug, force=force, created_by=user)
    mapping.full_clean()
    try:
        with transaction.atomic():
            mapping.save()
    except IntegrityError:
        raise ValidationError({"group": _("This group is already mapped")}) from None
    audit_record(actor=user, action=CREATED, instance=mapping, changes=_describe(mapping))
    return mapping


@transaction.atomic
def mapping_update(*, user, mapping: SsoGroupMapping, role: str, force: Force | None) -> SsoGroupMapping:
    """Change the role and force a mapped group gives (people it made move at their next sign-in);
    audited. A force administrator changes only their forces' mappings, to what they may grant."""
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot map single sign-on groups"))
    locked = SsoGroupMapping.objects.select_for_update().get(pk=mapping.pk)
    managed = managed_force_ids(user)
    if managed is not None and locked.force_id not in managed:
        raise PermissionDenied(_("You cannot change this mapping"))
    granted = _role(role)
    force = _check_role_and_force(user, granted, force)
    before = _describe(locked)
    locked.role, locked.force = granted.slug, force
    locked.save(update_fields=["role", "force"])
    after = _describe(locked)
    changes = {key: [before[key], value] for key, value in after.items() if before[key] != value}
    if changes:
        audit_record(actor=user, action=CHANGED, instance=locked, changes=changes)
    return locked


@transaction.atomic
def mapping_delete(*, user, mapping: SsoGroupMapping) -> None:
    """Remove a mapping (people it made keep their role); audited."""
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot map single sign-on groups"))
    managed = managed_force_ids(user)
    if managed is not None and mapping.force_id not in managed:
        raise PermissionDenied(_("You cannot change this mapping"))
    audit_record(actor=user, action=DELETED, instance=mapping, changes=_describe(mapping))
    mapping.delete()


# --- Sign-in ---------------------------------------------------------------------------------------


def _find_account(email: str):
    return get_user_model().objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).first()


@transaction.atomic
def sso_person_provision(*, claims: dict, mapping: SsoGroupMapping):
    """Create the account of a person whose groups map to a role (name from the ID token, e-mail as
    the login, no usable password); audited. Answers None if no account can be made for them (no
    e-mail address, or an account with that address exists but was not matched to this sign-in)."""
    email = get_user_model().objects.normalize_email(str(claims.get("email") or "").strip()).lower()
    if not email or _find_account(email) is not None:
        return None
    person = get_user_model()(username=email, email=email, is_active=True)
    person.set_unusable_password()
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:  # the same person signing in twice at once: the other sign-in made it
        return None
    role = ROLES_BY_SLUG[mapping.role]
    changes = person_name_set(person, name=name_of(claims) or email, job_title="")
    changes |= _assign(actor=None, person=person, role=role, force=mapping.force)
    if role is Role.NATIONAL_ADMIN:
        person.is_staff = True
        person.save(update_fields=["is_staff"])
    _audit_person(
        actor=None, action=CREATED, person=person, changes={**changes, "sso_group": mapping.group}, force=mapping.force
    )
    return person


@transaction.atomic
def sso_person_update(*, person, mapping: SsoGroupMapping) -> dict:
    """Give an existing person the role and force their groups map to, unless that would remove the
    last national administrator; audited. Answers the changes."""
    role = ROLES_BY_SLUG[mapping.role]
    current = role_of(person)
    forces = set(Membership.objects.filter(user=person).values_list("force_id", flat=True))
    if current is role and forces == ({mapping.force_id} if mapping.force_id else set()):
        return {}
    demotes = current is Role.NATIONAL_ADMIN and role is not Role.NATIONAL_ADMIN
    if demotes and not _active_national_admins().exclude(pk=person.pk).exists():
        logger.warning("Single sign-on mapping would remove the last national administrator; not applied")
        return {}
    changes = _assign(actor=None, person=person, role=role, force=mapping.force)
    if changes:
        _audit_person(
            actor=None,
            action=CHANGED,
            person=person,
            changes={**changes, "sso_group": mapping.group},
            force=mapping.force,
        )
    return changes


def _force_by_domain(email: str) -> Force | None:
    """The one force whose people share the e-mail address's domain (None if none or several)."""
    domain = email.rpartition("@")[2]
    if not domain:
        return None
    ids = list(
        Membership.objects.filter(user__email__iendswith=f"@{domain}").values_list("force_id", flat=True).distinct()[:2]
    )
    return Force.objects.filter(pk=ids[0]).first() if len(ids) == 1 else None


@transaction.atomic
def pending_record(*, provider: str, uid: str, claims: dict) -> PendingSsoUser:
    """Record (or update) the access request of an unmapped person; their administrators are e-mailed
    after commit, once a day at most, unless the request was dismissed."""
    email = str(claims.get("email") or "").strip().lower()[:254]
    now = timezone.now()
    pending, created = PendingSsoUser.objects.select_for_update().get_or_create(
        provider=provider[:100],
        uid=uid[:255],
        defaults={"email": email, "name": name_of(claims), "groups": groups_of(claims), "first_seen": now},
    )
    if not created:
        pending.attempts += 1
    pending.email, pending.name, pending.groups, pending.last_seen = email, name_of(claims), groups_of(claims), now
    if pending.force_id is None and email:
        pending.force = _force_by_domain(email)
    notify = pending.dismissed_at is None and (pending.notified_at is None or now - pending.notified_at >= NOTIFY_EVERY)
    if notify:
        pending.notified_at = now
    pending.save()
    if notify:
        transaction.on_commit(lambda: _enqueue_notice(pending.pk))
    return pending


def _enqueue_notice(pending_id: int) -> None:
    try:
        tasks.send_sso_access_request.delay(pending_id)
    except Exception:  # noqa: BLE001 — the broker is down: send it from here rather than lose it
        logger.exception("Could not queue the access request e-mail; sending it directly")
        from people import mail

        mail.sso_access_request_email_send(pending_id=pending_id)


def pending_resolve(*, provider: str, uid: str, email: str = "") -> int:
    """Close the access requests of someone who has just signed in with an account (mapped, invited
    or made by hand meanwhile): they no longer wait. Answers how many were closed."""
    match = Q(provider=provider, uid=uid)
    if email:
        match |= Q(email__iexact=email)
    deleted, _by_model = PendingSsoUser.objects.filter(match).delete()
    return deleted


def pending_list(*, user) -> QuerySet[PendingSsoUser]:
    """Open access requests the user may see: all for a national administrator, their forces' for a
    force administrator."""
    scoped = PendingSsoUser.objects.select_related("force").visible_to(user).filter(dismissed_at__isnull=True)
    return scoped if can_manage_people(user) else scoped.none()


def pending_get(*, user, pk) -> PendingSsoUser:
    return get_object_or_404(pending_list(user=user), pk=pk)


@transaction.atomic
def pending_dismiss(*, user, pending: PendingSsoUser) -> PendingSsoUser:
    """Dismiss an access request (no more e-mails about this person); audited."""
    if not can_manage_people(user):
        raise PermissionDenied(_("You cannot manage access requests"))
    locked = PendingSsoUser.objects.select_for_update().get(pk=pending.pk)
    managed = managed_force_ids(user)
    if managed is not None and locked.force_id not in managed:
        raise PermissionDenied(_("You cannot manage this access request"))
    if locked.dismissed_at is None:
        locked.dismissed_at, locked.dismissed_by = timezone.now(), user
        locked.save(update_fields=["dismissed_at", "dismissed_by"])
        audit_record(
            actor=user, action=CHANGED, instance=locked, changes={"email": locked.email, "dismissed": [False, True]}
        )
    return locked
