"""People services: invitations end to end, the rules on who may change whom, and the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry
from core.people import display_name
from core.roles import Role, roles_of
from forces.scoping import force_ids_for
from people import services
from people.models import Invitation, InvitationStatus

pytestmark = pytest.mark.django_db(transaction=False)


def _token(link: str) -> str:
    return re.search(r"/people/accept/([^/]+)/$", link).group(1)


def _invite(user, forces, **overrides):
    values = {
        "email": "new.person@example.police.uk",
        "name": "Nia Roberts",
        "job_title": "Policy officer",
        "role": "staff",
        "force": forces["west-midlands"],
    }
    values.update(overrides)
    return services.invitation_create(user=user, **values)


def test_invitation_is_emailed_after_commit_with_an_absolute_link_and_stored_hashed(
    national_admin_user, forces, settings, eager_celery, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://spr.example.gov.uk"
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = _invite(national_admin_user, forces)
    assert link.startswith("https://spr.example.gov.uk/people/accept/")
    token = _token(link)
    assert token not in invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.police.uk"]
    assert link in message.body
    assert "Nia Roberts" in message.body
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13)


def test_accepting_lands_the_person_in_the_role_and_force_once(national_admin_user, forces):
    invitation, link = _invite(national_admin_user, forces)
    person = services.invitation_accept(token=_token(link), password="a-long-unusual-passphrase-42")
    assert person.check_password("a-long-unusual-passphrase-42")
    assert roles_of(person) == {Role.PCC_STAFF}
    assert force_ids_for(person) == [forces["west-midlands"].pk]
    assert display_name(person) == "Nia Roberts, Policy officer"
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.invitation_accept(token=_token(link), password="another-long-passphrase-43")


def test_an_expired_or_cancelled_link_does_not_work(national_admin_user, forces):
    invitation, link = _invite(national_admin_user, forces)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert services.invitation_for_token(_token(link)) is None
    second, link2 = _invite(national_admin_user, forces, email="second@example.police.uk")
    services.invitation_cancel(user=national_admin_user, invitation=second)
    assert services.invitation_for_token(_token(link2)) is None


def test_resending_replaces_the_link(national_admin_user, forces):
    invitation, old = _invite(national_admin_user, forces)
    _same, new = services.invitation_resend(user=national_admin_user, invitation=invitation)
    assert new != old
    assert services.invitation_for_token(_token(old)) is None
    assert services.invitation_for_token(_token(new)).pk == invitation.pk


def test_force_admin_cannot_grant_national_roles_or_another_force(make_user, forces):
    admin = make_user(Role.FORCE_ADMIN, "kent", "fa-kent")
    for role in ("admin", "inspector"):
        with pytest.raises(PermissionDenied):
            _invite(admin, forces, role=role, force=None)
    with pytest.raises(PermissionDenied):
        _invite(admin, forces, force=forces["west-midlands"])
    invitation, _link = _invite(admin, forces, role="force-admin", force=forces["kent"])
    assert invitation.role == "force-admin"


def test_force_admin_cannot_change_another_forces_person(make_user, staff_user, forces):
    admin = make_user(Role.FORCE_ADMIN, "kent", "fa-kent")
    with pytest.raises(PermissionDenied):
        services.person_deactivate(user=admin, person=staff_user)


def test_nobody_changes_their_own_role(make_user, national_admin_user, forces):
    admin = make_user(Role.FORCE_ADMIN, "kent", "fa-kent")
    with pytest.raises(PermissionDenied):
        services.person_update(user=admin, person=admin, name="X", job_title="Y", role="admin", force=None)
    with pytest.raises(PermissionDenied):
        services.person_deactivate(user=national_admin_user, person=national_admin_user)


def test_a_national_admin_can_demote_another_but_the_last_one_stays(make_user, national_admin_user, forces):
    other = make_user(Role.NATIONAL_ADMIN, None, "second-admin")
    services.person_update(
        user=other, person=national_admin_user, name="Ex Admin", job_title="Analyst", role="inspector", force=None
    )
    assert roles_of(get_user_model().objects.get(pk=national_admin_user.pk)) == {Role.INSPECTOR}
    # `other` is now the only national administrator: only they could act on themselves, which
    # nobody may, and the service's own guard refuses it too.
    with pytest.raises(PermissionDenied):
        services.person_deactivate(user=other, person=other)
    with pytest.raises(ValidationError, match="last national administrator"):
        services._keeps_a_national_admin(other)
    assert get_user_model().objects.get(pk=other.pk).is_active


def test_every_change_is_audited_with_who_did_it(national_admin_user, forces):
    invitation, link = _invite(national_admin_user, forces)
    person = services.invitation_accept(token=_token(link), password="a-long-unusual-passphrase-42")
    services.person_update(
        user=national_admin_user,
        person=person,
        name="Nia Roberts",
        job_title="Chief of staff",
        role="pcc",
        force=forces["kent"],
    )
    services.person_deactivate(user=national_admin_user, person=person)
    entries = list(AuditEntry.objects.order_by("id"))
    models = [(e.model, e.action, e.actor_id) for e in entries]
    assert ("people.invitation", "created", national_admin_user.pk) in models
    assert ("auth.user", "created", person.pk) in models
    assert ("forces.membership", "created", person.pk) in models
    assert ("forces.membership", "deleted", national_admin_user.pk) in models
    changes = [e.changes for e in entries if e.model == "auth.user" and e.actor_id == national_admin_user.pk]
    assert {
        "job_title": ["Policy officer", "Chief of staff"],
        "role": ["staff", "pcc"],
        "force": ["west-midlands", "kent"],
    }.items() <= changes[0].items()
    assert changes[1] == {"active": [True, False]}


def test_create_admin_prints_a_one_time_link_that_makes_a_national_admin(db, capsys):
    call_command("create_admin", "--email", "First.Admin@Example.gov.uk", "--name", "Ada Lovelace")
    out = capsys.readouterr().out
    link = re.search(r"http\S+", out).group(0)
    person = get_user_model().objects.get(username="first.admin@example.gov.uk")
    assert not person.has_usable_password()
    accepted = services.invitation_accept(token=_token(link), password="a-long-unusual-passphrase-42")
    assert accepted.pk == person.pk
    accepted.refresh_from_db()
    assert accepted.is_active and accepted.check_password("a-long-unusual-passphrase-42")
    assert roles_of(accepted) == {Role.NATIONAL_ADMIN}
    assert display_name(accepted).startswith("Ada Lovelace")
