"""Named owners through the API (a response's `owner`, an action's `owner_user`: ids of the force's
people, another force's person a 400) and `GET /api/v1/my-tasks/`, the twin of the "My tasks" page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Action, Response
from core.roles import Role
from people.models import Profile
from tests.api.assessments_api_support import api_client, make_action, make_assessment
from tests.conftest import HOME_FORCE, OTHER_FORCE

REF = "3.1(a)"


def named(user, name: str, job_title: str):
    user.first_name = name
    user.save(update_fields=["first_name"])
    Profile.objects.update_or_create(user=user, defaults={"job_title": job_title})
    return user


@pytest.fixture
def colleague(make_user):
    return named(make_user(Role.PCC_STAFF, HOME_FORCE, "colleague-home"), "Priya Shah", "Head of Public Order")


@pytest.fixture
def outsider(make_user):
    return named(make_user(Role.PCC_STAFF, OTHER_FORCE, "outsider"), "Owen Other", "Kent planner")


@pytest.fixture
def assessment(staff_user, forces, spr2012):
    return make_assessment(staff_user, forces[HOME_FORCE], spr2012)


@pytest.fixture
def staff(staff_user):
    return api_client(staff_user)


def response_url(assessment, ref: str = REF) -> str:
    return reverse("api-response-detail", kwargs={"pk": assessment.responses.get(requirement__ref=ref).pk})


def test_response_owner_is_set_by_id_and_shown_with_name_and_job_title(staff, assessment, colleague):
    url = response_url(assessment)

    changed = staff.patch(url, {"owner": colleague.pk}, format="json", headers={"If-Match": '"1"'})

    assert changed.status_code == 200, changed.json()
    body = changed.json()
    assert (body["owner"], body["owner_name"]) == (colleague.pk, "Priya Shah, Head of Public Order")
    assert body["version"] == 1 and changed["ETag"] == '"1"'  # not a change to the answer
    listed = staff.get(reverse("api-response-list"), {"assessment": assessment.pk}).json()["results"]
    row = next(row for row in listed if row["requirement"] == REF)
    assert (row["owner"], row["owner_name"]) == (colleague.pk, "Priya Shah, Head of Public Order")
    assert staff.get(url).json() == row

    cleared = staff.patch(url, {"owner": None}, format="json", headers={"If-Match": '"1"'})
    assert (cleared.json()["owner"], cleared.json()["owner_name"]) == (None, None)


def test_responses_filter_by_owner(staff, staff_user, assessment, colleague):
    services.response_assign(user=staff_user, response=assessment.responses.get(requirement__ref=REF), owner=colleague)
    services.response_assign(
        user=staff_user, response=assessment.responses.get(requirement__ref="3.1(b)"), owner=staff_user
    )
    listing = reverse("api-response-list")

    def refs(owner):
        answer = staff.get(listing, {"assessment": assessment.pk, "owner": owner})
        return [row["requirement"] for row in answer.json()["results"]]

    assert refs(colleague.pk) == [REF]
    assert refs("me") == ["3.1(b)"]
    refused = staff.get(listing, {"owner": "someone"})
    assert refused.status_code == 400 and "owner" in refused.json()


def test_response_owner_from_another_force_or_not_an_id_is_a_400_that_writes_nothing(
    staff, assessment, outsider, national_admin_user
):
    url = response_url(assessment)
    for value in (outsider.pk, national_admin_user.pk, 999_999, "colleague-home", True):
        refused = staff.patch(
            url, {"owner": value, "narrative": "Not saved"}, format="json", headers={"If-Match": '"1"'}
        )

        assert refused.status_code == 400, value
        assert "owner" in refused.json()
    stored = Response.objects.get(assessment=assessment, requirement__ref=REF)
    assert (stored.owner_id, stored.narrative, stored.version) == (None, "", 1)


def test_response_owner_still_needs_the_current_version(staff, assessment, colleague):
    url = response_url(assessment)

    assert staff.patch(url, {"owner": colleague.pk}, format="json").status_code == 428
    stale = staff.patch(url, {"owner": colleague.pk}, format="json", headers={"If-Match": '"7"'})
    assert stale.status_code == 412
    assert Response.objects.get(assessment=assessment, requirement__ref=REF).owner_id is None
    empty = staff.patch(url, {}, format="json", headers={"If-Match": '"1"'})
    assert empty.status_code == 400 and "evidence or owner" in str(empty.json())


def test_another_forces_response_and_action_are_404_to_assign(assessment, staff_user, other_staff_user, outsider):
    action = make_action(staff_user, assessment)
    other = api_client(other_staff_user)

    response = other.patch(response_url(assessment), {"owner": outsider.pk}, format="json", headers={"If-Match": '"1"'})
    assert response.status_code == 404
    action_url = reverse("api-action-detail", kwargs={"pk": action.pk})
    changed = other.patch(action_url, {"owner_user": outsider.pk}, format="json")
    assert changed.status_code == 404
    assert Action.objects.get(pk=action.pk).owner_user_id is None


def test_action_owner_user_on_create_and_change(staff, assessment, colleague):
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    created = staff.post(
        reverse("api-action-list"),
        {
            "assessment": assessment.pk,
            "requirement": REF,
            "gap": "No exercise",
            "description": "Run one",
            "owner_user": colleague.pk,
            "due_date": due,
        },
        format="json",
    )

    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["owner_user"] == colleague.pk
    assert body["owner_user_name"] == body["owner"] == "Priya Shah, Head of Public Order"
    url = reverse("api-action-detail", kwargs={"pk": body["id"]})
    listing = reverse("api-action-list")
    assert [row["id"] for row in staff.get(listing, {"owner_user": colleague.pk}).json()["results"]] == [body["id"]]
    assert staff.get(listing, {"owner_user": "me"}).json()["results"] == []
    assert staff.get(listing, {"owner_user": "x"}).status_code == 400
    outside = staff.patch(url, {"owner_user": None, "owner": "Regional planner"}, format="json").json()
    assert (outside["owner_user"], outside["owner_user_name"], outside["owner"]) == (None, None, "Regional planner")


def test_action_owner_user_from_another_force_is_a_400(staff, assessment, staff_user, outsider):
    action = make_action(staff_user, assessment)
    url = reverse("api-action-detail", kwargs={"pk": action.pk})

    refused = staff.patch(url, {"owner_user": outsider.pk, "status": "done"}, format="json")

    assert refused.status_code == 400
    assert refused.json() == {"owner_user": ["Choose someone who works for West Midlands Police"]}
    stored = Action.objects.get(pk=action.pk)
    assert (stored.owner_user_id, stored.status) == (None, "open")
    assert staff.patch(url, {"owner_user": "Priya"}, format="json").status_code == 400
    assert staff.patch(url, {"owner_user_name": "Priya"}, format="json").status_code == 400  # read-only


# --- My tasks ---------------------------------------------------------------------------------------


def test_my_tasks_api_lists_what_is_assigned_with_due_dates(assessment, staff_user, colleague):
    late = make_action(staff_user, assessment, owner_user=colleague, description="Write the plan")
    two_days_ago = timezone.localdate() - dt.timedelta(days=2)
    Action.objects.filter(pk=late.pk).update(due_date=two_days_ago)
    soon = make_action(staff_user, assessment, "3.1(b)", owner_user=colleague, due_date=dt.date(2099, 1, 31))
    make_action(staff_user, assessment, "3.1(c)", owner_user=staff_user)
    services.response_assign(user=staff_user, response=assessment.responses.get(requirement__ref=REF), owner=colleague)

    answer = api_client(colleague).get(reverse("api-my-tasks"))

    assert answer.status_code == 200
    tasks = answer.json()
    assert [(t["kind"], t["due_date"], t["overdue"]) for t in tasks] == [
        ("action", two_days_ago.isoformat(), True),
        ("action", "2099-01-31", False),
        ("response", None, False),
    ]
    assert tasks[0]["url"] == reverse("assessments:action-edit", args=[assessment.pk, late.pk])
    assert tasks[1]["url"] == reverse("assessments:action-edit", args=[assessment.pk, soon.pk])
    assert tasks[2] == {
        "kind": "response",
        "kind_label": "Requirement",
        "title": "Answer requirement 3.1(a)",
        "url": reverse("assessments:response", args=[assessment.pk, REF]),
        "force": "West Midlands Police",
        "assessment": assessment.pk,
        "state": "Draft; this requirement: not started",
        "due_date": None,
        "overdue": False,
    }
    assert api_client(colleague).get(reverse("api-my-tasks")).json() == tasks
    assert [t["kind"] for t in api_client(staff_user).get(reverse("api-my-tasks")).json()] == ["action"]


def test_my_tasks_api_shows_nothing_of_another_force_and_needs_sign_in(
    client, assessment, staff_user, other_staff_user, colleague
):
    make_action(staff_user, assessment, owner_user=colleague)

    assert api_client(other_staff_user).get(reverse("api-my-tasks")).json() == []
    assert client.get(reverse("api-my-tasks")).status_code in (401, 403)


def test_my_tasks_api_reads_in_a_fixed_number_of_queries(
    assessment, staff_user, colleague, django_assert_max_num_queries
):
    api = api_client(colleague)
    make_action(staff_user, assessment, owner_user=colleague)
    api.get(reverse("api-my-tasks"))
    for n in range(10):
        make_action(staff_user, assessment, "3.1(b)", owner_user=colleague, description=f"More {n}")
    for ref in ("3.1(c)", "3.2(a)(i)", "3.2(c)"):
        services.response_assign(
            user=staff_user, response=assessment.responses.get(requirement__ref=ref), owner=colleague
        )

    with django_assert_max_num_queries(10):
        answer = api.get(reverse("api-my-tasks"))

    assert len(answer.json()) == 14
