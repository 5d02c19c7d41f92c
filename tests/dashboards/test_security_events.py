"""Security events in the audit chain, and the national administrators' page that lists them (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.audit import audit_event, audit_verify
from core.models import AuditEntry
from core.roles import Role
from core.security_events import on_locked_out, on_mfa_changed, on_mfa_failed
from tests.factories import make_assessment, make_file_evidence

Kind = AuditEntry.Kind
PASSWORD = "correct horse battery staple"
URL = "/national/security-events/"


def _events(kind=None):
    events = AuditEntry.objects.exclude(kind=Kind.RECORD).order_by("id")
    return events.filter(kind=kind) if kind else events


def test_the_page_has_its_url():
    assert reverse("dashboards:security-events") == URL


def test_sign_in_failure_and_sign_out_are_recorded_in_the_chain(staff_user, forces):
    client = Client()
    client.post(reverse("login"), {"login": staff_user.username, "password": "wrong-password-123"})
    client.post(reverse("login"), {"login": "nobody-by-this-name", "password": "guess"})
    client.post(reverse("login"), {"login": staff_user.username, "password": PASSWORD})
    client.post(reverse("logout"))

    failed, unknown = _events(Kind.SIGN_IN_FAILED)
    assert failed.actor_id == staff_user.pk and failed.changes["username"] == staff_user.username
    assert failed.force_id == forces["west-midlands"].pk and failed.changes["ip"] == "127.0.0.1"
    assert unknown.actor_id is None and unknown.actor_name == "nobody-by-this-name"
    signed_in = _events(Kind.SIGN_IN).get()
    assert signed_in.actor_id == staff_user.pk and signed_in.changes["path"] == reverse("login")
    assert _events(Kind.SIGN_OUT).get().actor_id == staff_user.pk
    # No password, right or wrong, is kept.
    assert not any(
        secret in str(entry.changes) for entry in _events() for secret in (PASSWORD, "wrong-password-123", "guess")
    )
    assert audit_verify().intact
    assert {entry.version for entry in _events()} == {AuditEntry.Version.KEYED}


def test_a_lockout_is_recorded(staff_user, rf):
    request = rf.post("/accounts/login/")
    on_locked_out(sender=None, request=request, username=staff_user.username, ip_address="192.0.2.7")

    event = _events(Kind.LOCKED_OUT).get()
    assert event.actor_id == staff_user.pk and event.changes["lockout_ip"] == "192.0.2.7"


def test_mfa_changes_and_api_tokens_are_recorded(staff_user, rf):
    from core.tokens import token_create, token_revoke

    authenticator = type("Authenticator", (), {"type": "totp"})()
    on_mfa_changed(sender=None, request=rf.post("/"), user=staff_user, authenticator=authenticator, change="added")
    on_mfa_failed(sender=None, request=rf.post("/"), user=staff_user, authenticator=authenticator)
    made = token_create(user=staff_user, name="Script")
    key = made.secret
    token_revoke(token=made.token, user=staff_user)

    assert _events(Kind.MFA_CHANGED).get().changes["change"] == "added"
    assert _events(Kind.SIGN_IN_FAILED).get().changes["factor"] == "mfa"
    assert [e.changes["change"] for e in _events(Kind.TOKEN_CHANGED)] == ["created", "revoked"]
    assert not any(key in str(e.changes) for e in _events())


def test_access_to_another_forces_object_is_recorded_and_still_a_404(staff_user, spr2012, forces, other_staff_client):
    assessment = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)

    denied = other_staff_client.get(reverse("assessments:detail", args=[assessment.pk]))
    missing = other_staff_client.get(reverse("assessments:detail", args=[assessment.pk + 10_000]))
    api = other_staff_client.get(reverse("api-assessment-detail", args=[assessment.pk]))

    assert denied.status_code == missing.status_code == api.status_code == 404
    events = list(_events(Kind.ACCESS_DENIED))
    assert len(events) == 2  # the page and the API; the id nobody has is no event
    assert {(e.model, e.object_id, e.changes["object_force"]) for e in events} == {
        ("assessments.assessment", str(assessment.pk), forces["west-midlands"].pk)
    }
    assert events[0].force_id == forces["kent"].pk and events[0].object_repr == ""


def test_exports_and_downloads_are_recorded(staff_user, staff_client, national_admin_client, forces, spr2012):
    evidence = make_file_evidence(user=staff_user, force=forces["west-midlands"])

    download = staff_client.get(reverse("assessments:evidence-download", args=[evidence.pk]))
    export = national_admin_client.get(reverse("dashboards:national-export"))

    assert download.status_code == 200
    event = _events(Kind.DOWNLOAD).get()
    assert event.actor_id == staff_user.pk and event.changes["file"] == evidence.original_name
    assert export.status_code == 200
    exported = _events(Kind.EXPORT).get()
    assert exported.changes["file"].endswith(".csv") and exported.changes["content_type"] == "text/csv"


def test_the_page_is_for_national_administrators_only(
    staff_client, inspector_client, national_admin_client, client, chief_client
):
    for other in (staff_client, inspector_client, chief_client):
        assert other.get(URL).status_code == 403
    assert client.get(URL).status_code == 302
    response = national_admin_client.get(URL)
    assert response.status_code == 200
    assert b"Security events</a>" in response.content  # in the navigation too


@pytest.fixture
def people(make_user):
    alice = make_user(Role.PCC_STAFF, "west-midlands", username="alice-login")
    alice.first_name, alice.last_name = "Alice", "Okafor"
    alice.save()
    bob = make_user(Role.PCC_STAFF, "kent", username="bob-login")
    return alice, bob


def test_the_page_names_people_and_filters_by_person_force_kind_and_date(national_admin_client, people, forces):
    alice, bob = people
    audit_event(kind=Kind.SIGN_IN, user=alice)
    audit_event(kind=Kind.EXPORT, user=bob, details={"file": "spr-capacity.csv"})
    audit_event(kind=Kind.SIGN_IN_FAILED, username="mallory", details={"username": "mallory"})

    page = national_admin_client.get(URL).content.decode()
    assert "Alice Okafor" in page and "alice-login" not in page  # by name, not login
    assert "bob-login" in page  # no name recorded: the username is all there is
    assert "Username entered: mallory" in page

    def shown(**query):
        """The table of events (the person filter's options name everyone)."""
        html = national_admin_client.get(URL, query).content.decode()
        return html.split("<table", 1)[1] if "<table" in html else html

    assert "Alice Okafor" in shown(person=alice.pk) and "bob-login" not in shown(person=alice.pk)
    by_force = shown(force="kent")
    assert "bob-login" in by_force and "Alice Okafor" not in by_force
    audit_event(
        kind=Kind.ACCESS_DENIED,
        user=bob,
        model="assessments.assessment",
        object_id="7",
        details={"object_force": forces["west-midlands"].pk},
    )
    by_home_force = shown(force="west-midlands")
    assert "Alice Okafor" in by_home_force and "Assessment 7 of West Midlands Police" in by_home_force
    by_kind = shown(kind="export")
    assert "spr-capacity.csv" in by_kind and "Alice Okafor" not in by_kind
    today = timezone.localdate()
    assert "Alice Okafor" in shown(date_from=today.strftime("%d/%m/%Y"))
    assert "No security events match." in shown(date_to=(today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    wrong = national_admin_client.get(URL, {"date_from": "31/02/2026"})
    text = wrong.content.decode()
    assert wrong.status_code == 200 and "<title>Error:" in text and "Enter a valid date" in text


def test_record_changes_are_not_security_events(national_admin_client, staff_user, forces, spr2012):
    make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)

    page = national_admin_client.get(URL, {"person": staff_user.pk}).content.decode()

    assert "No security events match." in page


@pytest.mark.parametrize("count", [3, 40])
def test_the_page_takes_the_same_queries_however_many_events(
    count, national_admin_client, make_user, django_assert_max_num_queries
):
    users = [make_user(Role.PCC_STAFF, code) for code in ("kent", "west-midlands", "dorset")]
    for n in range(count):
        audit_event(kind=Kind.SIGN_IN, user=users[n % 3])
        audit_event(kind=Kind.ACCESS_DENIED, user=users[n % 3], model="assessments.assessment", object_id="1")
    national_admin_client.get(URL)  # warm: sessions, roles

    with django_assert_max_num_queries(10):
        response = national_admin_client.get(URL, {"kind": "sign_in"})
    assert response.status_code == 200
    assert get_user_model().objects.count() >= 3
