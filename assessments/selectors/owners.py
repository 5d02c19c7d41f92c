"""Named owners and "My tasks": the people a requirement or an action may be assigned to, and what is
assigned to the signed-in person across their forces, with due dates, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    AssessmentStatus,
    Evidence,
    Response,
)
from assessments.permissions import can_edit_assessment
from assessments.selectors.waiting import challenge_url, challenges_waiting_for
from core.roles import Role, has_role
from forces.scoping import force_ids_for

#: Evidence whose review-by date falls within this many days (or has passed) is a task.
REVIEW_SOON_DAYS = 90

#: When an owned requirement's answer is due, for the assessments given ({assessment id: date}).
#: The deadlines live in an app above this one (cycle), which this layer may not import; it plugs its
#: function in here when it starts (cycle.apps.CycleConfig.ready). One query each, at most.
REQUIREMENT_DUE_DATES: list[Callable[[list[Assessment]], dict[int, dt.date]]] = []


def assignable_people(*, force_id: int) -> QuerySet:
    """The active people of a force (its members), by name, with their profile for "Name, job title":
    whom a requirement or an action of the force's assessments may be assigned to. One query."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__force_id=force_id)
        .select_related("profile")
        .order_by("first_name", "last_name", "username")
    )


class TaskKind:
    RESPONSE = "response"
    ACTION = "action"
    EVIDENCE = "evidence"
    CHALLENGE = "challenge"


@dataclass(frozen=True)
class MyTask:
    """One thing assigned to a person: what it is, where it is done and by when.

    `state` is what a person reads of where the thing stands: the assessment's state for a
    requirement, the action's status, the review date's standing for evidence, who must answer for a
    challenge. `due` is None where nothing dates it.
    """

    kind: str
    kind_label: str
    title: str
    url: str
    force: str
    assessment_id: int | None
    assessment_label: str
    state: str
    due: dt.date | None = None
    overdue: bool = False

    @property
    def sort_key(self) -> tuple:
        return (self.due is None, self.due or dt.date.max, KIND_ORDER[self.kind], self.title)


KIND_ORDER = {TaskKind.ACTION: 0, TaskKind.EVIDENCE: 1, TaskKind.CHALLENGE: 2, TaskKind.RESPONSE: 3}


def _assessment_label(assessment: Assessment) -> str:
    return f"{assessment.force.name} {assessment.period}"


def _latest_of_its_force(prefix: str = "") -> Q:
    """Rows of the newest assessment of their force and edition (a later period, or a later revision
    of the same period, replaces it: its open actions were carried into the newer one)."""
    newer = Assessment.objects.filter(
        force_id=OuterRef(f"{prefix}force_id"), edition_id=OuterRef(f"{prefix}edition_id")
    ).filter(
        Q(period__gt=OuterRef(f"{prefix}period"))
        | Q(period=OuterRef(f"{prefix}period"), revision__gt=OuterRef(f"{prefix}revision"))
    )
    return ~Q(Exists(newer))


def my_responses(*, user) -> QuerySet[Response]:
    """Requirements assigned to the user in their forces' assessments that are not yet published."""
    return (
        Response.objects.visible_to(user)
        .filter(owner=user, assessment__force_id__in=force_ids_for(user))
        .exclude(assessment__status=AssessmentStatus.PUBLISHED)
        .select_related("assessment__force", "requirement", "judgement")
        .only(
            "id",
            "narrative",
            "version",
            "assessment__id",
            "assessment__period",
            "assessment__status",
            "assessment__force__id",
            "assessment__force__name",
            "requirement__id",
            "requirement__ref",
            "judgement__id",
            "judgement__score",
        )
    )


def my_actions(*, user) -> QuerySet[Action]:
    """Open actions assigned to the user, in the newest assessment of each of their forces' editions."""
    return (
        Action.objects.visible_to(user)
        .filter(
            _latest_of_its_force("assessment__"),
            owner_user=user,
            status__in=OPEN_ACTION_STATUSES,
            assessment__force_id__in=force_ids_for(user),
        )
        .select_related("assessment__force", "requirement")
    )


def my_evidence_reviews(*, user) -> QuerySet[Evidence]:
    """Evidence the user added whose review-by date has passed or falls within REVIEW_SOON_DAYS."""
    horizon = timezone.localdate() + dt.timedelta(days=REVIEW_SOON_DAYS)
    return (
        Evidence.objects.visible_to(user)
        .filter(created_by=user, force_id__in=force_ids_for(user), review_by__lte=horizon)
        .select_related("force")
        .only("id", "title", "review_by", "force__id", "force__name")
    )


def my_tasks(*, user) -> list[MyTask]:
    """Everything assigned to the user across their forces, soonest due first (undated last):
    requirements they own (with the assessment's state), open actions they own (with the due date
    and whether it is overdue), evidence they added that is due for review, and challenges waiting
    for their answer. Seven queries at most (one for the deadlines of owned requirements), however many
    tasks there are."""
    if not force_ids_for(user):
        return []
    today = timezone.localdate()
    tasks: list[MyTask] = []
    response_page = "assessments:response"
    responses = list(my_responses(user=user))
    due_by: dict[int, dt.date] = {}
    if responses:
        for due_dates in REQUIREMENT_DUE_DATES:
            due_by.update(due_dates([response.assessment for response in responses]))
    for response in responses:
        assessment = response.assessment
        due = due_by.get(assessment.pk)
        tasks.append(
            MyTask(
                kind=TaskKind.RESPONSE,
                kind_label=_("Requirement"),
                title=_("Answer requirement %(ref)s") % {"ref": response.requirement.ref},
                url=reverse(response_page, args=[assessment.pk, response.requirement.ref]),
                force=assessment.force.name,
                assessment_id=assessment.pk,
                assessment_label=_assessment_label(assessment),
                state=_("%(assessment)s; this requirement: %(status)s")
                % {
                    "assessment": assessment.get_status_display(),
                    "status": str(response.status.label).lower(),
                },
                due=due,
                overdue=due is not None and due < today,
            )
        )
    for action in my_actions(user=user):
        assessment = action.assessment
        if can_edit_assessment(user, assessment):
            url = reverse("assessments:action-edit", args=[assessment.pk, action.pk])
        else:
            url = reverse("assessments:actions", args=[assessment.pk]) + f"#action-{action.pk}"
        tasks.append(
            MyTask(
                kind=TaskKind.ACTION,
                kind_label=_("Action"),
                title=_("Action on %(ref)s: %(description)s")
                % {"ref": action.requirement.ref, "description": action.description[:80]},
                url=url,
                force=assessment.force.name,
                assessment_id=assessment.pk,
                assessment_label=_assessment_label(assessment),
                state=action.get_status_display(),
                due=action.due_date,
                overdue=action.due_date < today,
            )
        )
    for item in my_evidence_reviews(user=user):
        tasks.append(
            MyTask(
                kind=TaskKind.EVIDENCE,
                kind_label=_("Evidence review"),
                title=_("Review %(title)s") % {"title": item.title},
                url=reverse("assessments:evidence-detail", args=[item.pk]),
                force=item.force.name,
                assessment_id=None,
                assessment_label="",
                state=_("Review date passed") if item.review_by < today else _("Review due"),
                due=item.review_by,
                overdue=item.review_by < today,
            )
        )
    answers = has_role(user, Role.CHIEF_CONSTABLE)
    for challenge in challenges_waiting_for(user=user):
        assessment = challenge.assessment
        subject = (
            _("requirement %(ref)s") % {"ref": challenge.response.requirement.ref}
            if challenge.response_id
            else _("the whole assessment")
        )
        tasks.append(
            MyTask(
                kind=TaskKind.CHALLENGE,
                kind_label=_("Challenge"),
                title=_("Challenge on %(subject)s") % {"subject": subject},
                url=challenge_url(challenge),
                force=assessment.force.name,
                assessment_id=assessment.pk,
                assessment_label=_assessment_label(assessment),
                state=_("Waiting for your reply") if answers else _("The chief constable has replied"),
            )
        )
    tasks.sort(key=lambda task: task.sort_key)
    return tasks
