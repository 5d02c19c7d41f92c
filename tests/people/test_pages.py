"""People pages and API: the invite journey, scoping (another force's people are a 404), no
self-escalation, and constant query counts on the people list."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from core.roles import Role, roles_of
from people import services
from people.models import Invitation

pytestmark = pytest.mark.django_db

INVITE = {
    "name": "Nia Roberts",
    "job_title": "Policy officer",
    "email": "nia.roberts@example.police.uk",
    "role": "staff",
    "force": "west-midlands",
}


def test_invite_check_answers_send_then_accept_and_sign_in(
    national_admin_client, forces, eager_celery, django_capture_on_commit_callbacks, client
):
    page = national_admin_client.get(reverse("people:invite"))
    assert page.status_code == 200
    check = national_admin_client.post(reverse("people:invite"), INVITE)
    assert check.status_code == 200
    assert "Check the invitation before sending it" in check.content.decode()
    assert not Invitation.objects.exists()
    back = national_admin_client.post(reverse("people:invite"), {**INVITE, "confirm": "yes", "edit": "yes"})
    assert 'value="Nia Roberts"' in back.content.decode() and not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        sent = national_admin_client.post(reverse("people:invite"), {**INVITE, "confirm": "yes"})
    assert sent.status_code == 302
    listing = national_admin_client.get(reverse("people:invitations")).content.decode()
    assert "Nia Roberts, Policy officer" in listing
    link = re.search(r"http\S+/people/accept/\S+/", mail.outbox[0].body).group(0)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert "Set your password" in client.get(path).content.decode()
    weak = client.post(path, {"new_password1": "password", "new_password2": "password"})
    assert weak.status_code == 400
    assert "Error:" in weak.content.decode()
    done = client.post(path, {"new_password1": "tangerine-lantern-97", "new_password2": "tangerine-lantern-97"})
    assert done.status_code == 302
    home = client.get(reverse("home")).content.decode()
    assert "Nia Roberts" in home
    person = get_user_model().objects.get(email="nia.roberts@example.police.uk")
    assert roles_of(person) == {Role.PCC_STAFF}
    assert client.get(path).status_code == 404  # one time only


def test_invite_errors_use_gds_wording(national_admin_client, forces):
    response = national_admin_client.post(reverse("people:invite"), {**INVITE, "email": "", "force": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Error: " in body
    assert "Enter an e-mail address" in body
    assert "Select the force they will work for" in body


def test_force_admin_is_offered_only_force_roles_and_their_force(other_force_admin_client, forces):
    body = other_force_admin_client.get(reverse("people:invite")).content.decode()
    assert 'value="force-admin"' in body and 'value="staff"' in body
    assert 'value="admin"' not in body and 'value="inspector"' not in body
    assert 'value="kent"' in body and 'value="west-midlands"' not in body
    refused = other_force_admin_client.post(
        reverse("people:invite"), {**INVITE, "role": "admin", "force": "", "confirm": "yes"}
    )
    assert refused.status_code == 400
    assert not Invitation.objects.exists()


def test_kent_force_admin_gets_404_on_west_midlands_people_and_invitations(
    other_force_admin_client, national_admin_user, staff_user, forces
):
    invitation, _link = services.invitation_create(
        user=national_admin_user,
        email="x@example.police.uk",
        name="X",
        job_title="Y",
        role="staff",
        force=forces["west-midlands"],
    )
    for name in ("people:detail", "people:change", "people:deactivate", "people:reactivate"):
        url = reverse(name, args=[staff_user.pk])
        assert other_force_admin_client.get(url).status_code == 404, name
        assert other_force_admin_client.post(url, {}).status_code in (404, 405), name
    for name in ("people:invitation-resend", "people:invitation-cancel"):
        assert other_force_admin_client.post(reverse(name, args=[invitation.pk])).status_code == 404, name
    assert other_force_admin_client.get(reverse("api-person-detail", args=[staff_user.pk])).status_code == 404
    assert other_force_admin_client.get(reverse("api-invitation-detail", args=[invitation.pk])).status_code == 404
    people = other_force_admin_client.get(reverse("api-person-list")).json()
    assert staff_user.email not in str(people)
    listing = other_force_admin_client.get(reverse("people:list")).content.decode()
    assert staff_user.email not in listing
    assert "x@example.police.uk" not in other_force_admin_client.get(reverse("people:invitations")).content.decode()
    staff_user.refresh_from_db()
    assert staff_user.is_active


def test_nobody_can_raise_themselves(home_force_admin_client, home_force_admin, forces):
    url = reverse("people:change", args=[home_force_admin.pk])
    assert home_force_admin_client.get(url).status_code == 403
    posted = home_force_admin_client.post(url, {"name": "Me", "job_title": "Boss", "role": "admin", "force": ""})
    assert posted.status_code == 403
    assert roles_of(get_user_model().objects.get(pk=home_force_admin.pk)) == {Role.FORCE_ADMIN}
    assert home_force_admin_client.post(reverse("people:deactivate", args=[home_force_admin.pk])).status_code == 403


def test_force_admin_changes_and_deactivates_their_own_forces_person(home_force_admin_client, staff_user, forces):
    url = reverse("people:change", args=[staff_user.pk])
    response = home_force_admin_client.post(
        url, {"name": "Sam Jones", "job_title": "Deputy chief executive", "role": "pcc", "force": "west-midlands"}
    )
    assert response.status_code == 302
    detail = home_force_admin_client.get(reverse("people:detail", args=[staff_user.pk])).content.decode()
    assert "Sam Jones, Deputy chief executive" in detail
    assert "Police and crime commissioner" in detail
    assert home_force_admin_client.post(reverse("people:deactivate", args=[staff_user.pk])).status_code == 302
    staff_user.refresh_from_db()
    assert not staff_user.is_active
    assert home_force_admin_client.post(reverse("people:reactivate", args=[staff_user.pk])).status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.is_active


def test_people_who_manage_nobody_are_refused(staff_client, forces):
    assert staff_client.get(reverse("people:list")).status_code == 403
    assert staff_client.get(reverse("people:invite")).status_code == 403
    assert staff_client.post(reverse("api-invitation-list"), INVITE, content_type="application/json").status_code == 403
    me = staff_client.get(reverse("api-person-list")).json()
    assert me["count"] == 1 if isinstance(me, dict) else len(me) == 1


def _make_people(make_user, n):
    for i in range(n):
        person = make_user(Role.PCC_STAFF, "west-midlands", f"bulk-{n}-{i}")
        services.person_name_set(person, name=f"Person {i}", job_title="Analyst")


def test_people_list_query_count_is_constant(national_admin_client, make_user, forces, django_assert_max_num_queries):
    _make_people(make_user, 3)
    with django_assert_max_num_queries(12) as few:
        assert national_admin_client.get(reverse("people:list")).status_code == 200
    _make_people(make_user, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = national_admin_client.get(reverse("people:list")).content.decode()
    assert "Person 14, Analyst" in body
    with django_assert_max_num_queries(12):
        assert national_admin_client.get(reverse("api-person-list")).status_code == 200


def test_api_invites_with_201_expiry_and_link(home_force_admin_client, forces, eager_celery):
    payload = {**INVITE, "role": "chief"}
    response = home_force_admin_client.post(reverse("api-invitation-list"), payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["role"] == "chief" and body["force"] == "west-midlands"
    assert body["expires_at"] and body["link"].startswith("http://127.0.0.1:8000/people/accept/")
    listed = home_force_admin_client.get(reverse("api-invitation-list")).json()
    assert "link" not in str(listed)
    escalate = home_force_admin_client.post(
        reverse("api-invitation-list"),
        {**INVITE, "email": "e@example.police.uk", "role": "admin"},
        content_type="application/json",
    )
    assert escalate.status_code == 403


def test_api_people_show_name_job_title_role_and_force(national_admin_client, staff_user, forces):
    services.person_name_set(staff_user, name="Alex Patel", job_title="Head of planning")
    body = national_admin_client.get(reverse("api-person-detail", args=[staff_user.pk])).json()
    assert body["name"] == "Alex Patel"
    assert body["job_title"] == "Head of planning"
    assert body["role"] == "staff" and body["force"] == "west-midlands" and body["active"] is True


def test_history_and_challenge_threads_name_people_by_name_and_job_title(
    staff_client, staff_user, chief_user, pcc_user, forces, spr2012
):
    from assessments import workflow
    from assessments.models import AssessmentStatus
    from tests.factories import make_assessment
    from tests.workflow_support import advance

    services.person_name_set(staff_user, name="Alex Patel", job_title="Head of planning")
    services.person_name_set(pcc_user, name="Margaret Ellis", job_title="Police and Crime Commissioner")
    draft = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2024/25")
    submitted = advance(draft, AssessmentStatus.SUBMITTED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    response = submitted.responses.select_related("requirement").first()
    workflow.challenge_raise(user=pcc_user, assessment=submitted, response=response, text="Why?")

    history = staff_client.get(reverse("assessments:history", args=[submitted.pk])).content.decode()
    assert "Alex Patel, Head of planning" in history
    assert ">staff-home<" not in history
    thread = staff_client.get(
        reverse("assessments:response", args=[submitted.pk, response.requirement.ref])
    ).content.decode()
    assert "Margaret Ellis, Police and Crime Commissioner" in thread
    api = staff_client.get(reverse("api-challenge-list") + f"?assessment={submitted.pk}").json()
    assert api["results"][0]["raised_by"] == "Margaret Ellis, Police and Crime Commissioner"
    history_api = staff_client.get(reverse("api-assessment-history", args=[submitted.pk])).json()
    assert "Alex Patel, Head of planning" in [t["by"] for t in history_api["transitions"]]


def test_api_changes_a_person_by_the_pages_rules(home_force_admin_client, home_force_admin, staff_user, forces):
    url = reverse("api-person-detail", args=[staff_user.pk])
    changed = home_force_admin_client.patch(
        url, {"job_title": "Head of planning", "role": "chief"}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["job_title"], changed.json()["role"]) == ("Head of planning", "chief")
    off = home_force_admin_client.patch(url, {"active": False}, content_type="application/json")
    assert off.json()["active"] is False
    raise_self = home_force_admin_client.patch(
        reverse("api-person-detail", args=[home_force_admin.pk]), {"role": "admin"}, content_type="application/json"
    )
    assert raise_self.status_code == 403
    national = home_force_admin_client.patch(url, {"role": "inspector"}, content_type="application/json")
    assert national.status_code == 403


def test_api_resends_and_cancels_invitations(national_admin_client, forces):
    created = national_admin_client.post(reverse("api-invitation-list"), INVITE, content_type="application/json")
    pk, first = created.json()["id"], created.json()["link"]
    resent = national_admin_client.post(reverse("api-invitation-resend", args=[pk]))
    assert resent.status_code == 200 and resent.json()["link"] != first
    assert services.invitation_for_token(first.rstrip("/").rsplit("/", 1)[-1]) is None
    cancelled = national_admin_client.post(reverse("api-invitation-cancel", args=[pk]))
    assert cancelled.json()["status"] == "cancelled"
    again = national_admin_client.post(reverse("api-invitation-cancel", args=[pk]))
    assert again.status_code == 400


def test_invitation_lists_query_count_is_constant(
    national_admin_client, national_admin_user, forces, django_assert_max_num_queries
):
    def invite(n):
        for i in range(n):
            services.invitation_create(
                user=national_admin_user,
                email=f"p{n}-{i}@example.police.uk",
                name=f"Person {n}-{i}",
                job_title="Analyst",
                role="staff",
                force=forces["kent"],
            )

    invite(2)
    with django_assert_max_num_queries(12) as few:
        assert national_admin_client.get(reverse("people:invitations")).status_code == 200
    with django_assert_max_num_queries(12) as few_api:
        assert national_admin_client.get(reverse("api-invitation-list")).status_code == 200
    invite(12)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Person 12-11, Analyst" in national_admin_client.get(reverse("people:invitations")).content.decode()
    with django_assert_max_num_queries(len(few_api.captured_queries)):
        assert national_admin_client.get(reverse("api-invitation-list")).json()["count"] == 14


def test_anyone_changes_their_own_name_and_job_title_audited(staff_client, staff_user, forces):
    from core.models import AuditEntry

    assert "people/me/" in staff_client.get(reverse("home")).content.decode()
    assert staff_client.post(reverse("people:me"), {"name": "", "job_title": ""}).status_code == 400
    response = staff_client.post(reverse("people:me"), {"name": "Alex Patel", "job_title": "Head of planning"})
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert (staff_user.get_full_name(), staff_user.profile.job_title) == ("Alex Patel", "Head of planning")
    entry = AuditEntry.objects.filter(model="auth.user", object_id=str(staff_user.pk)).latest("id")
    assert entry.actor_id == staff_user.pk and entry.changes["job_title"] == ["", "Head of planning"]


def test_workflow_emails_name_who_acted_with_an_absolute_link(
    staff_user, chief_user, forces, spr2012, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from assessments import workflow
    from assessments.tasks import send_workflow_email
    from tests.factories import make_assessment
    from tests.workflow_support import answer_all

    settings.SITE_URL = "https://spr.example.gov.uk"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    queued: list[dict] = []
    monkeypatch.setattr(
        "celery.current_app.send_task", lambda name, args=None, kwargs=None, **options: queued.append(kwargs or {})
    )
    chief_user.email = "chief@example.police.uk"
    chief_user.save()
    services.person_name_set(staff_user, name="Alex Patel", job_title="Head of planning")
    draft = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2024/25")
    answer_all(draft, staff_user)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.assessment_submit(user=staff_user, assessment=draft)
    assert queued, "the request queued no e-mail"
    for kwargs in queued:  # the worker's turn
        send_workflow_email.apply(kwargs=kwargs).get()
    body = mail.outbox[0].body
    assert "Alex Patel, Head of planning" in body
    assert f"https://spr.example.gov.uk/assessments/{draft.pk}/" in body
