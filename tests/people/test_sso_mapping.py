"""Single sign-on group mapping against the loopback OpenID Connect provider: a mapped group gives a
role and force (the account is made from the signed ID token), an unmapped person gets the no-access
page and nothing but an access request (and their administrators an e-mail, once a day), a tampered
ID token is still refused."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from core.models import AuditEntry
from core.roles import Role, roles_of
from forces.models import Membership
from people import sso
from people.models import PendingSsoUser
from tests.conftest import HOME_FORCE, OTHER_FORCE
from tests.core.test_sso import person, provider, sso_sign_in  # noqa: F401 — the loopback provider fixture

KENT_STAFF_GROUP = "5b2f8c1e-0000-4000-8000-00000000kent"


@pytest.fixture
def kent_mapping(national_admin_user, forces):
    return sso.mapping_create(user=national_admin_user, group=KENT_STAFF_GROUP, role="staff", force=forces[OTHER_FORCE])


def newcomer(**claims) -> dict:
    return {
        "sub": "entra-newcomer",
        "email": "Nia.Newcomer@kent.police.uk",
        "email_verified": True,
        "name": "Nia Newcomer",
        **claims,
    }


def test_a_mapped_group_makes_the_person_in_that_role_and_force(provider, kent_mapping, forces):  # noqa: F811
    provider.person = newcomer(groups=["some-other-group", KENT_STAFF_GROUP])
    client = Client()
    response = sso_sign_in(client, provider)
    assert response.status_code == 302
    person = get_user_model().objects.get(email="nia.newcomer@kent.police.uk")
    assert client.session["_auth_user_id"] == str(person.pk)
    assert person.get_full_name() == "Nia Newcomer"
    assert not person.has_usable_password()
    assert roles_of(person) == {Role.PCC_STAFF}
    assert list(Membership.objects.filter(user=person).values_list("force__code", flat=True)) == [OTHER_FORCE]
    assert SocialAccount.objects.filter(user=person, uid="entra-newcomer").exists()
    assert not PendingSsoUser.objects.exists()
    entry = AuditEntry.objects.filter(model="auth.user", object_id=str(person.pk)).get()
    assert entry.changes["sso_group"] == KENT_STAFF_GROUP
    home = client.get("/")
    assert home.status_code == 200 and "Kent" in home.content.decode()


def test_the_groups_claim_name_is_configurable(provider, national_admin_user, forces, settings):  # noqa: F811
    settings.SPR_OIDC_GROUPS_CLAIM = "roles"  # Entra ID app roles
    sso.mapping_create(user=national_admin_user, group="SPR.Inspector", role="inspector", force=None)
    provider.person = newcomer(groups=["SPR.Inspector"])  # the wrong claim: no access
    assert sso_sign_in(Client(), provider).status_code == 403
    provider.person = newcomer(roles=["SPR.Inspector"])
    client = Client()
    sso_sign_in(client, provider)
    person = get_user_model().objects.get(email="nia.newcomer@kent.police.uk")
    assert roles_of(person) == {Role.INSPECTOR}
    assert not Membership.objects.filter(user=person).exists()


def test_an_existing_person_is_moved_to_the_mapped_role_and_force(provider, staff_user, national_admin_user, forces):  # noqa: F811
    sso.mapping_create(user=national_admin_user, group="kent-chiefs", role="chief", force=forces[OTHER_FORCE])
    provider.person = person(staff_user, groups=["kent-chiefs"])
    client = Client()
    sso_sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(staff_user.pk)
    staff_user = get_user_model().objects.get(pk=staff_user.pk)
    assert roles_of(staff_user) == {Role.CHIEF_CONSTABLE}
    assert list(Membership.objects.filter(user=staff_user).values_list("force__code", flat=True)) == [OTHER_FORCE]


def test_the_highest_mapped_role_wins(national_admin_user, forces):
    sso.mapping_create(user=national_admin_user, group="a", role="staff", force=forces[HOME_FORCE])
    sso.mapping_create(user=national_admin_user, group="b", role="pcc", force=forces[HOME_FORCE])
    assert sso.mapping_for(["a", "b"]).role == "pcc"
    assert sso.mapping_for(["c"]) is None
    assert sso.mapping_for([]) is None


def test_an_unmapped_person_gets_no_access_and_a_pending_request(
    provider,  # noqa: F811
    kent_mapping,
    make_user,
    eager_celery,
    django_capture_on_commit_callbacks,
):
    kent_admin = make_user(Role.FORCE_ADMIN, OTHER_FORCE, "force-admin-kent")
    kent_admin.email = "fa@kent.police.uk"
    kent_admin.save()
    west_admin = make_user(Role.FORCE_ADMIN, HOME_FORCE, "force-admin-west")
    provider.person = newcomer(groups=["unmapped-group"])
    users = get_user_model().objects.count()
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sso_sign_in(client, provider)
    assert response.status_code == 403
    page = response.content.decode()
    assert "You do not have access yet" in page and "We have told your administrators" in page
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users
    assert not SocialAccount.objects.exists()
    pending = PendingSsoUser.objects.get()
    assert (pending.email, pending.name, pending.groups) == (
        "nia.newcomer@kent.police.uk",
        "Nia Newcomer",
        ["unmapped-group"],
    )
    assert pending.force.code == OTHER_FORCE  # Kent's people share the e-mail domain
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Nia Newcomer" in message.subject
    assert "unmapped-group" in message.body
    assert kent_admin.email in message.to
    assert west_admin.email not in message.to
    national = get_user_model().objects.get(username="national-admin")
    assert national.email in message.to

    # Again the same day: the request is updated, nobody is e-mailed twice.
    with django_capture_on_commit_callbacks(execute=True):
        sso_sign_in(Client(), provider)
    pending.refresh_from_db()
    assert pending.attempts == 2
    assert len(mail.outbox) == 1


def test_a_tampered_id_token_with_a_mapped_group_is_refused(provider, kent_mapping):  # noqa: F811
    provider.person = newcomer(groups=[KENT_STAFF_GROUP])
    provider.tamper = True
    users = get_user_model().objects.count()
    client = Client()
    response = sso_sign_in(client, provider)
    assert response.status_code == 401
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users
    assert not PendingSsoUser.objects.exists()


def test_an_unverified_address_of_an_existing_account_makes_no_second_account(provider, staff_user, kent_mapping):  # noqa: F811
    provider.person = {"sub": "attacker", "email": staff_user.email, "groups": [KENT_STAFF_GROUP]}
    users = get_user_model().objects.count()
    client = Client()
    response = sso_sign_in(client, provider)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == users


def test_once_their_group_is_mapped_the_waiting_person_gets_in_and_their_request_closes(
    provider,  # noqa: F811
    national_admin_user,
    forces,
):
    provider.person = newcomer(groups=["late-group"])
    assert sso_sign_in(Client(), provider).status_code == 403
    assert PendingSsoUser.objects.count() == 1
    sso.mapping_create(user=national_admin_user, group="late-group", role="pcc", force=forces[OTHER_FORCE])
    client = Client()
    assert sso_sign_in(client, provider).status_code == 302
    assert "_auth_user_id" in client.session
    assert not PendingSsoUser.objects.exists()


def test_a_mapping_never_moves_the_last_national_administrator(provider, national_admin_user, forces):  # noqa: F811
    sso.mapping_create(user=national_admin_user, group="everyone", role="staff", force=forces[HOME_FORCE])
    provider.person = person(national_admin_user, groups=["everyone"])
    client = Client()
    sso_sign_in(client, provider)
    assert client.session["_auth_user_id"] == str(national_admin_user.pk)
    fresh = get_user_model().objects.get(pk=national_admin_user.pk)
    assert roles_of(fresh) == {Role.NATIONAL_ADMIN}
    assert not Membership.objects.filter(user=fresh).exists()
