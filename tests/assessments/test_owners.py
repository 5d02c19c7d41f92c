"""Named owners (a requirement's and an action's person of the force) and "My tasks": the services
that assign them, the pages that show and filter by them, and each person's list of what is theirs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Action, Response
from assessments.records import ResponseAnswer
from assessments.selectors import my_tasks
from core.models import AuditEntry
from core.roles import Role
from people.models import Profile
from tests.conftest import HOME_FORCE, OTHER_FORCE
from tests.factories import make_assessment, make_link_evidence

REF = "3.1(a)"


def named(user, name: str, job_title: str):
    user.first_name = name
    user.save(update_fields=["first_name"])
    Profile.objects.update_or_create(user=user, defaults={"job_title": job_title})
    return user


@pytest.fixture
def colleague(make_user):
    """Another person of the home force, with a name and a job title."""
    return named(make_user(Role.PCC_STAFF, HOME_FORCE, "colleague-home"), "Priya Shah", "Head of Public Order")


@pytest.fixture
def outsider(make_user):
    """A person of another force: never an owner of the home force's work."""
    return named(make_user(Role.PCC_STAFF, OTHER_FORCE, "outsider"), "Owen Other", "Kent planner")


@pytest.fixture
def assessment(staff_user, forces, spr2012):
    return make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012)


@pytest.fixture
def response(assessment):
    return assessment.responses.get(requirement__ref=REF)


def new_action(user, assessment, **fields):
    values = {
        "gap": "No exercise this year",
        "description": "Run a tabletop exercise",
        "due_date": timezone.localdate() + dt.timedelta(days=30),
    }
    values.update(fields)
    return services.action_save(user=user, assessment=assessment, requirement=REF, **values)


def record_changes(model) -> int:
    return AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model=model._meta.label_lower).count()


# --- Services ---------------------------------------------------------------------------------------


def test_response_assign_to_a_member_is_audited_and_leaves_the_answer_as_it_is(response, staff_user, colleague):
    before = record_changes(Response)

    saved = services.response_assign(user=staff_user, response=response, owner=colleague)

    stored = Response.objects.get(pk=response.pk)
    assert stored.owner == colleague
    assert stored.version == 1 and stored.status == "not_started"  # not a change to the answer
    assert saved.owner == colleague
    assert record_changes(Response) == before + 1
    assert stored.history.first().history_user == staff_user


def test_response_assign_takes_an_id_and_none_takes_the_owner_away(response, staff_user, colleague):
    services.response_assign(user=staff_user, response=response, owner=colleague.pk)
    assert Response.objects.get(pk=response.pk).owner_id == colleague.pk

    services.response_assign(user=staff_user, response=response, owner=None)
    assert Response.objects.get(pk=response.pk).owner_id is None


@pytest.mark.parametrize("who", ["outsider", "inactive", "unknown", "national"])
def test_response_assign_refuses_anyone_not_a_member_of_the_force(
    response, staff_user, outsider, colleague, national_admin_user, who
):
    if who == "inactive":
        colleague.is_active = False
        colleague.save(update_fields=["is_active"])
    person = {"outsider": outsider, "inactive": colleague, "unknown": 999_999, "national": national_admin_user}[who]
    before = record_changes(Response)

    with pytest.raises(ValidationError) as refused:
        services.response_assign(user=staff_user, response=response, owner=person)

    assert refused.value.message_dict == {"owner": ["Choose someone who works for West Midlands Police"]}
    assert Response.objects.get(pk=response.pk).owner_id is None
    assert record_changes(Response) == before


def test_response_assign_is_refused_to_readers_and_to_another_force(response, chief_user, other_staff_user, colleague):
    for user in (chief_user, other_staff_user):
        with pytest.raises(PermissionDenied):
            services.response_assign(user=user, response=response, owner=colleague)
    assert Response.objects.get(pk=response.pk).owner_id is None


def test_response_update_with_an_answer_and_an_owner_raises_the_version_once(response, staff_user, colleague):
    saved = services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(narrative="Tested twice a year"),
        owner=colleague.pk,
    )

    assert (saved.version, saved.owner_id, saved.narrative) == (2, colleague.pk, "Tested twice a year")


def test_response_update_refuses_an_outsider_and_writes_nothing(response, staff_user, outsider):
    with pytest.raises(ValidationError) as refused:
        services.response_update(
            user=staff_user,
            response=response,
            expected_version=1,
            answer=ResponseAnswer(narrative="Not saved"),
            owner=outsider.pk,
        )

    assert "owner" in refused.value.message_dict
    stored = Response.objects.get(pk=response.pk)
    assert (stored.version, stored.narrative, stored.owner_id) == (1, "", None)


def test_action_save_names_a_member_by_name_and_job_title(assessment, staff_user, colleague):
    action = new_action(staff_user, assessment, owner_user=colleague)

    stored = Action.objects.get(pk=action.pk)
    assert stored.owner_user == colleague
    assert stored.owner == "Priya Shah, Head of Public Order"


def test_action_save_keeps_a_free_text_owner_outside_the_service(assessment, staff_user, colleague):
    action = new_action(staff_user, assessment, owner="Regional emergency planner")
    assert (action.owner, action.owner_user_id) == ("Regional emergency planner", None)

    services.action_save(user=staff_user, assessment=assessment, action=action, owner_user=colleague.pk)
    services.action_save(
        user=staff_user, assessment=assessment, action=action, owner_user=None, owner="Fire service liaison"
    )

    stored = Action.objects.get(pk=action.pk)
    assert (stored.owner, stored.owner_user_id) == ("Fire service liaison", None)


def test_action_save_refuses_another_forces_person_and_an_action_with_no_owner(assessment, staff_user, outsider):
    with pytest.raises(ValidationError) as refused:
        new_action(staff_user, assessment, owner_user=outsider)
    assert refused.value.message_dict == {"owner_user": ["Choose someone who works for West Midlands Police"]}

    with pytest.raises(ValidationError) as nobody:
        new_action(staff_user, assessment, owner="")
    assert "owner" in nobody.value.message_dict
    assert not Action.objects.exists()


def test_a_new_draft_started_from_last_year_keeps_owners_who_are_still_members(
    forces, spr2012, staff_user, colleague, make_user
):
    leaver = make_user(Role.PCC_STAFF, HOME_FORCE, "leaver")
    last_year = make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012, period="2024/25")
    services.response_assign(user=staff_user, response=last_year.responses.get(requirement__ref=REF), owner=colleague)
    services.response_assign(user=staff_user, response=last_year.responses.get(requirement__ref="3.1(b)"), owner=leaver)
    leaver.memberships.all().delete()

    draft = services.assessment_create(
        user=staff_user, force=forces[HOME_FORCE], edition=spr2012, period="2025/26", start_from_previous=True
    )

    owners = dict(draft.responses.filter(owner__isnull=False).values_list("requirement__ref", "owner_id"))
    assert owners == {REF: colleague.pk}


# --- Pages ------------------------------------------------------------------------------------------


def test_response_page_assigns_an_owner_from_the_forces_people(staff_client, assessment, colleague, outsider):
    page_url = reverse("assessments:response", args=[assessment.pk, REF])

    page = staff_client.get(page_url).content.decode()
    assert "Priya Shah, Head of Public Order" in page
    assert "Owen Other" not in page  # another force's people are never offered

    owner_url = reverse("assessments:response-owner", args=[assessment.pk, REF])
    saved = staff_client.post(owner_url, {"assign-owner": colleague.pk})

    assert saved.status_code == 302 and saved["Location"] == page_url
    assert Response.objects.get(assessment=assessment, requirement__ref=REF).owner == colleague
    shown = staff_client.get(page_url).content.decode()
    assert "Requirement 3.1(a) is now owned by Priya Shah, Head of Public Order" in shown
    assert "Owner changed from nobody to Priya Shah, Head of Public Order" in shown  # the change history


def test_response_owner_page_refuses_another_forces_person_with_an_error(staff_client, assessment, outsider):
    url = reverse("assessments:response-owner", args=[assessment.pk, REF])

    refused = staff_client.post(url, {"assign-owner": outsider.pk})

    assert refused.status_code == 400
    body = refused.content.decode()
    assert "<title>Error: " in body and "Choose someone who works for the force" in body
    assert Response.objects.get(assessment=assessment, requirement__ref=REF).owner_id is None


def test_readers_see_the_owner_without_the_form(chief_client, staff_user, response, assessment, colleague):
    services.response_assign(user=staff_user, response=response, owner=colleague)

    page = chief_client.get(reverse("assessments:response", args=[assessment.pk, REF])).content.decode()

    assert 'id="owner-name">Priya Shah, Head of Public Order' in page
    assert 'name="assign-owner"' not in page
    assert chief_client.post(reverse("assessments:response-owner", args=[assessment.pk, REF]), {}).status_code == 403


def test_action_form_assigns_a_colleague(staff_client, assessment, colleague):
    due = timezone.localdate() + dt.timedelta(days=40)
    form = staff_client.get(reverse("assessments:action-create", args=[assessment.pk])).content.decode()
    assert f'<option value="{colleague.pk}">Priya Shah, Head of Public Order</option>' in form

    saved = staff_client.post(
        reverse("assessments:action-create", args=[assessment.pk]),
        {
            "requirement": REF,
            "gap": "No exercise",
            "description": "Run one",
            "owner_user": colleague.pk,
            "owner": "",
            "due_date_day": due.day,
            "due_date_month": due.month,
            "due_date_year": due.year,
            "status": "open",
        },
    )

    assert saved.status_code == 302
    action = Action.objects.get()
    assert (action.owner_user, action.owner) == (colleague, "Priya Shah, Head of Public Order")
    register = staff_client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert f'id="action-{action.pk}"' in register and "Priya Shah, Head of Public Order" in register


def test_action_form_without_an_owner_says_what_to_do(staff_client, assessment):
    refused = staff_client.post(
        reverse("assessments:action-create", args=[assessment.pk]),
        {"requirement": "", "gap": "Gap", "description": "Do", "owner_user": "", "owner": "", "status": "open"},
    )

    assert refused.status_code == 400
    assert "Choose the owner, or enter the name of someone outside the service" in refused.content.decode()
    assert not Action.objects.exists()


def test_task_list_filters_by_owner(staff_client, staff_user, assessment, colleague):
    services.response_assign(user=staff_user, response=assessment.responses.get(requirement__ref=REF), owner=colleague)
    services.response_assign(
        user=staff_user, response=assessment.responses.get(requirement__ref="3.1(b)"), owner=staff_user
    )
    url = reverse("assessments:detail", args=[assessment.pk])

    everyone = staff_client.get(url).content.decode()
    theirs = staff_client.get(url, {"owner": colleague.pk}).content.decode()
    mine = staff_client.get(url, {"owner": "me"}).content.decode()

    link = reverse("assessments:response", args=[assessment.pk, "3.1(c)"])
    assert link in everyone and "Owner: Priya Shah, Head of Public Order." in everyone
    assert reverse("assessments:response", args=[assessment.pk, REF]) in theirs
    assert reverse("assessments:response", args=[assessment.pk, "3.1(b)"]) not in theirs and link not in theirs
    assert reverse("assessments:response", args=[assessment.pk, "3.1(b)"]) in mine
    assert reverse("assessments:response", args=[assessment.pk, REF]) not in mine
    assert f'<option value="{colleague.pk}" selected>' in theirs


def test_task_list_owner_filter_refuses_a_value_not_on_the_list(staff_client, assessment, outsider):
    for value in (str(outsider.pk), "nonsense"):
        refused = staff_client.get(reverse("assessments:detail", args=[assessment.pk]), {"owner": value})

        assert refused.status_code == 400
        assert "Choose a person of the force from the list" in refused.content.decode()


# --- My tasks ---------------------------------------------------------------------------------------


@pytest.fixture
def assigned(assessment, staff_user, colleague, forces, chief_user):
    """A requirement, two actions (one overdue, one done), evidence due for review and a challenge,
    around the colleague; and the same kinds of thing for someone else."""
    services.response_assign(user=staff_user, response=assessment.responses.get(requirement__ref=REF), owner=colleague)
    services.response_assign(
        user=staff_user, response=assessment.responses.get(requirement__ref="3.1(b)"), owner=staff_user
    )
    soon = new_action(staff_user, assessment, owner_user=colleague, description="Run a tabletop exercise")
    late = new_action(staff_user, assessment, owner_user=colleague, description="Write the plan")
    Action.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=3))
    new_action(staff_user, assessment, owner_user=colleague, description="Already done", status="done")
    new_action(staff_user, assessment, owner_user=staff_user, description="Someone else's")
    review = make_link_evidence(
        user=colleague,
        force=forces[HOME_FORCE],
        title="Mutual aid agreement",
        review_by=timezone.localdate() + dt.timedelta(days=10),
    )
    make_link_evidence(
        user=colleague,
        force=forces[HOME_FORCE],
        title="Reviewed in years",
        review_by=timezone.localdate() + dt.timedelta(days=900),
    )
    return {"soon": soon, "late": late, "review": review}


def test_my_tasks_lists_what_is_mine_soonest_first(client, colleague, assessment, assigned):
    client.force_login(colleague)

    page = client.get(reverse("assessments:my-tasks"))

    assert page.status_code == 200
    body = page.content.decode()
    late = body.index("Action on 3.1(a): Write the plan")
    soon = body.index("Action on 3.1(a): Run a tabletop exercise")
    review = body.index("Review Mutual aid agreement")
    requirement = body.index("Answer requirement 3.1(a)")
    assert late < review < soon < requirement  # by due date; the undated requirement last
    assert "Overdue" in body[late:review]
    assert reverse("assessments:action-edit", args=[assessment.pk, assigned["late"].pk]) in body
    assert reverse("assessments:evidence-detail", args=[assigned["review"].pk]) in body
    assert reverse("assessments:response", args=[assessment.pk, REF]) in body
    assert "Draft; this requirement: not started" in body
    assert "Already done" not in body and "Someone else" not in body and "Reviewed in years" not in body
    assert "3.1(b)" not in body
    assert 'href="/my-tasks/"' in body  # in the navigation


def test_my_tasks_dates_an_owned_requirement_by_its_periods_submission_deadline(
    client, colleague, assessment, assigned, national_admin_user
):
    """With deadlines set for the period (cycle), a requirement of a draft is due when the draft must
    be submitted: it sorts among the dated tasks, and is overdue once that date has passed."""
    from cycle.services import period_deadlines_save

    today = timezone.localdate()
    period_deadlines_save(
        user=national_admin_user,
        period=assessment.period,
        submit_by=today + dt.timedelta(days=3),
        respond_by=today + dt.timedelta(days=20),
        sign_off_by=today + dt.timedelta(days=30),
        publish_by=today + dt.timedelta(days=40),
    )
    client.force_login(colleague)

    body = client.get(reverse("assessments:my-tasks")).content.decode()

    requirement = body.index("Answer requirement 3.1(a)")
    assert requirement < body.index("Review Mutual aid agreement")  # due in 3 days, before 10
    assert body.index("Action on 3.1(a): Write the plan") < requirement  # overdue first

    [task] = [task for task in my_tasks(user=colleague) if task.kind == "response"]
    assert (task.due, task.overdue) == (today + dt.timedelta(days=3), False)


def test_my_tasks_tags_evidence_past_its_review_date(client, colleague, forces):
    item = make_link_evidence(
        user=colleague,
        force=forces[HOME_FORCE],
        title="Gold group terms of reference",
        review_by=timezone.localdate() - dt.timedelta(days=5),
    )
    client.force_login(colleague)

    body = client.get(reverse("assessments:my-tasks")).content.decode()

    row = body[body.index("Review Gold group terms of reference") :]
    row = row[: row.index("</tr>")]
    assert "Review date passed" in row and "Overdue" in row and "West Midlands Police evidence library" in row
    assert reverse("assessments:evidence-detail", args=[item.pk]) in body


def test_my_tasks_shows_a_chief_constable_the_challenges_waiting(chief_client, staff_user, pcc_user, assessment):
    from assessments import workflow
    from tests.workflow_support import advance

    advance(assessment, "submitted", staff=staff_user, chief=None, pcc=pcc_user)
    challenge = workflow.challenge_raise(
        user=pcc_user, assessment=assessment, response=assessment.responses.get(requirement__ref=REF), text="Why?"
    )

    body = chief_client.get(reverse("assessments:my-tasks")).content.decode()

    assert "Challenge on requirement 3.1(a)" in body and f"#challenge-{challenge.pk}" in body
    assert "Waiting for your reply" in body


def test_my_tasks_lists_a_carried_over_action_once_in_the_newest_assessment(forces, spr2012, staff_user, colleague):
    from assessments.selectors import my_tasks

    last_year = make_assessment(user=staff_user, force=forces[HOME_FORCE], edition=spr2012, period="2024/25")
    new_action(staff_user, last_year, owner_user=colleague, description="Carried over")
    this_year = services.assessment_create(
        user=staff_user, force=forces[HOME_FORCE], edition=spr2012, period="2025/26", start_from_previous=True
    )

    actions = [task for task in my_tasks(user=colleague) if task.kind == "action"]

    assert [(task.assessment_id, task.assessment_label) for task in actions] == [
        (this_year.pk, "West Midlands Police 2025/26")
    ]


def test_my_tasks_for_someone_with_nothing(other_staff_client, assigned):
    body = other_staff_client.get(reverse("assessments:my-tasks")).content.decode()

    assert "Nothing is assigned to you." in body
    assert "Write the plan" not in body


def test_my_tasks_reads_in_a_fixed_number_of_queries(
    client, colleague, assessment, assigned, staff_user, django_assert_max_num_queries
):
    client.force_login(colleague)
    client.get(reverse("assessments:my-tasks"))  # warm the session
    for n in range(10):
        new_action(staff_user, assessment, owner_user=colleague, description=f"More work {n}")
    for ref in ("3.1(c)", "3.2(a)(i)", "3.2(c)"):
        services.response_assign(
            user=staff_user, response=assessment.responses.get(requirement__ref=ref), owner=colleague
        )

    with django_assert_max_num_queries(12):
        page = client.get(reverse("assessments:my-tasks"))

    assert page.content.decode().count("More work") == 10
