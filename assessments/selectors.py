"""Every user-facing read of assessments and their records, starting from `visible_to(user)`.

Each selector runs a fixed number of queries however many requirements, responses or evidence
items there are (the tests hold them to it).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import CharField, Count, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404
from django.utils import timezone

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    Departure,
    Evidence,
    Response,
    ResponseStatus,
    Snapshot,
    Transition,
)
from capabilities.models import Area, Requirement
from core.links import reverser
from core.models import AuditEntry
from threats.models import Threat


def response_status_q(status: str, prefix: str = "") -> Q:
    """The responses whose `Response.status` would be `status`, as a filter (SQL, not Python).

    Judged: the judgement has a score. Explained: the narrative has a non-space character (`\\S` is
    what `str.strip()` would leave). `prefix` reaches responses from another model, e.g. "responses__".
    """
    judged = Q(**{f"{prefix}judgement__score__isnull": False})
    explained = Q(**{f"{prefix}narrative__regex": r"\S"})
    completed = judged & explained
    touched = judged | explained | Q(**{f"{prefix}version__gt": 1})
    if status == ResponseStatus.COMPLETED:
        return completed
    if status == ResponseStatus.IN_PROGRESS:
        return touched & ~completed
    return ~touched


def assessments_with_progress(*, user) -> QuerySet[Assessment]:
    """Assessments the user may see, with force, edition and response counts (one query).

    `response_completed` counts responses whose status is completed (judged and explained), as the
    task list does. Each count is a subquery over that assessment's responses, so reading one
    assessment by id costs what its own responses cost: a GROUP BY over the join took about 60 ms
    for the one new assessment of a 1,209-requirement edition.
    """
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Coalesce

    def counted(condition: Q | None = None):
        responses = Response.objects.filter(condition or Q(), assessment=OuterRef("pk")).order_by()
        return Coalesce(Subquery(responses.values("assessment").annotate(n=Count("pk")).values("n")), 0)

    return (
        Assessment.objects.visible_to(user)
        .select_related("force", "force__region", "edition")
        .annotate(
            response_total=counted(),
            response_judged=counted(Q(judgement__score__isnull=False)),
            response_completed=counted(response_status_q(ResponseStatus.COMPLETED)),
        )
    )


def assessment_list(*, user) -> QuerySet[Assessment]:
    """`assessments_with_progress` in list order: force, then newest period and revision first."""
    return assessments_with_progress(user=user).order_by("force__name", "-period", "-revision")


def assessment_get(*, user, pk) -> Assessment:
    """One assessment the user may see, else 404 (another force's assessment does not exist for them)."""
    return get_object_or_404(
        Assessment.objects.visible_to(user).select_related("force", "force__region", "edition", "created_by"), pk=pk
    )


def response_list(*, user) -> QuerySet[Response]:
    """Responses of every assessment the user may see, in force, assessment and edition order, with
    what the API shows of each (requirement, judgement, editor, evidence ids) fetched up front."""
    return (
        Response.objects.visible_to(user)
        .select_related("requirement", "judgement", "updated_by")
        # The API shows a requirement's ref and paragraph, not its text: leave the long columns behind.
        .defer("requirement__text", "requirement__lead_in", "requirement__group_heading", "judgement__description")
        .prefetch_related(_evidence_ids())
        .order_by("assessment_id", "requirement__position", "id")
    )


def _evidence_ids() -> Prefetch:
    return Prefetch("evidence", queryset=Evidence.objects.only("id").order_by("id"))


def response_prefetch_evidence(*, responses: list[Response]) -> None:
    """Give responses already in memory (such as the one a service just saved) their evidence as
    `response_list` fetches it, for the API's answer (one query)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(responses, _evidence_ids())


def response_to_change(*, user) -> QuerySet[Response]:
    """Responses the user may see, with their assessment (whose force decides who may change them):
    what a PATCH reads before the service locks the row and reads it again."""
    return Response.objects.visible_to(user).select_related("assessment")


#: What the API shows of a response, as values: response_list's rows without building four model
#: instances (response, requirement, judgement, editor) per row.
RESPONSE_ROW_FIELDS = (
    "id",
    "assessment_id",
    "requirement__ref",
    "requirement__paragraph",
    "judgement__code",
    "judgement__score",
    "narrative",
    "version",
    "updated_at",
    "updated_by__username",
)


def response_list_rows(*, user) -> QuerySet[dict]:
    """`response_list` as dicts of RESPONSE_ROW_FIELDS, same rows, same order; evidence ids come
    from `response_evidence_ids`. For reading whole assessments: 1,209 responses as objects cost
    about a quarter of a second of CPU."""
    return (
        Response.objects.visible_to(user)
        .order_by("assessment_id", "requirement__position", "id")
        .values(*RESPONSE_ROW_FIELDS)
    )


def response_evidence_ids(*, response_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the evidence linked to each of these responses, in id order (one query)."""
    linked = {response_id: [] for response_id in response_ids}
    links = Response.evidence.through.objects.filter(response_id__in=response_ids).order_by("evidence_id")
    for response_id, evidence_id in links.values_list("response_id", "evidence_id"):
        linked[response_id].append(evidence_id)
    return linked


def response_get(*, user, assessment_pk, ref: str) -> Response:
    return get_object_or_404(
        Response.objects.visible_to(user)
        .select_related(
            "assessment", "assessment__force", "assessment__edition", "requirement", "judgement", "updated_by"
        )
        .prefetch_related("evidence", "requirement__areas", "requirement__threats"),
        assessment_id=assessment_pk,
        requirement__ref=ref,
    )


def short_text(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis, as the truncatechars filter cuts plain text."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


@dataclass(frozen=True)
class TaskItem:
    """One requirement's line of the task list, worked out once however many groups list it."""

    ref: str
    url: str
    hint: str
    status: ResponseStatus


@dataclass(frozen=True)
class TaskRow:
    item: TaskItem
    id: str  # unique on the page: the hint's and the status's ids are built from it


@dataclass
class TaskGroup:
    """A group of the task list (one threat or one area) with its rows and counts."""

    code: str
    name: str
    rows: list[TaskRow] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(row.item.status == ResponseStatus.COMPLETED for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)


@dataclass
class TaskList:
    responses: list[Response]
    by_threat: list[TaskGroup]
    by_area: list[TaskGroup]

    @property
    def counts(self) -> Counter:
        return Counter(response.status for response in self.responses)

    @property
    def completed(self) -> int:
        return self.counts[ResponseStatus.COMPLETED]

    @property
    def total(self) -> int:
        return len(self.responses)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def task_responses(*, assessment: Assessment) -> QuerySet[Response]:
    """What the task list reads of each response: its requirement's ref and text, its judgement and
    what its status needs (no evidence, editor or long requirement columns)."""
    return (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement")
        .only(
            "id",
            "assessment_id",
            "narrative",
            "version",
            "requirement__id",
            "requirement__ref",
            "requirement__text",
            "judgement__id",
            "judgement__label",
            "judgement__score",
        )
        .order_by("requirement__position")
    )


def task_list(*, assessment: Assessment) -> TaskList:
    """The GOV.UK task list: responses grouped by threat and by area, with their statuses, in five
    queries whatever the size of the edition.

    A requirement serving several threats appears under each of them.
    """
    responses = list(task_responses(assessment=assessment))
    page = reverser("assessments:response", int, str)
    threats = list(
        Threat.objects.filter(edition_id=assessment.edition_id).only("id", "code", "name").order_by("position")
    )
    areas = list(Area.objects.filter(edition_id=assessment.edition_id).only("id", "code", "name").order_by("position"))
    by_threat = {threat.id: TaskGroup(threat.code, threat.name) for threat in threats}
    by_area = {area.id: TaskGroup(area.code, area.name) for area in areas}
    ids = [response.requirement_id for response in responses]
    threats_of: dict[int, list[int]] = {rid: [] for rid in ids}
    areas_of: dict[int, list[int]] = {rid: [] for rid in ids}
    for rid, threat_id in Requirement.threats.through.objects.filter(requirement_id__in=ids).values_list(
        "requirement_id", "threat_id"
    ):
        threats_of[rid].append(threat_id)
    for rid, area_id in Requirement.areas.through.objects.filter(requirement_id__in=ids).values_list(
        "requirement_id", "area_id"
    ):
        areas_of[rid].append(area_id)
    for response in responses:
        requirement = response.requirement
        hint = short_text(requirement.text, 140)
        if response.judgement.score is not None:
            hint = f"{hint} Judgement: {response.judgement.label}."
        item = TaskItem(
            ref=requirement.ref,
            url=page(assessment.pk, requirement.ref),
            hint=hint,
            status=response.status,
        )
        for groups, members, prefix in ((by_threat, threats_of, "threat"), (by_area, areas_of, "area")):
            for group_id in members[requirement.id]:
                group = groups[group_id]
                group.rows.append(TaskRow(item, f"{prefix}-{group.code}-{len(group.rows) + 1}"))
    return TaskList(responses=responses, by_threat=list(by_threat.values()), by_area=list(by_area.values()))


def answers_list(*, assessment: Assessment) -> TaskList:
    """Every response for the check answers page, with the ids of its evidence (the page counts them),
    without the task list's groups: three queries."""
    responses = (
        Response.objects.filter(assessment=assessment)
        .select_related("requirement", "judgement")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id")))
        .order_by("requirement__position")
    )
    return TaskList(responses=list(responses), by_threat=[], by_area=[])


def evidence_list(*, user, force_id: int | None = None) -> QuerySet[Evidence]:
    queryset = (
        Evidence.objects.visible_to(user)
        .select_related("force", "created_by")
        .annotate(response_count=Count("responses", distinct=True))
    )
    if force_id is not None:
        queryset = queryset.filter(force_id=force_id)
    return queryset.order_by("title", "id")


def evidence_get(*, user, pk) -> Evidence:
    return get_object_or_404(Evidence.objects.visible_to(user).select_related("force", "created_by"), pk=pk)


def departure_list(*, user, assessment: Assessment | None = None) -> QuerySet[Departure]:
    queryset = (
        Departure.objects.visible_to(user)
        .select_related("assessment", "assessment__force", "requirement", "created_by")
        .prefetch_related("evidence")
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("assessment__force__name", "requirement__position", "created_at")


def action_list(*, user, assessment: Assessment | None = None) -> QuerySet[Action]:
    queryset = Action.objects.visible_to(user).select_related(
        "assessment", "assessment__force", "requirement", "created_by"
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("due_date", "id")


def overdue_actions(*, user) -> QuerySet[Action]:
    return action_list(user=user).filter(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())


def requirements_of(assessment: Assessment) -> QuerySet[Requirement]:
    return Requirement.objects.filter(edition_id=assessment.edition_id).order_by("position")


# --- Workflow -------------------------------------------------------------------------------------


def challenge_list(*, user, assessment: Assessment | None = None) -> QuerySet[Challenge]:
    """Challenges the user may see, each with its subject's requirement, people and replies (three
    queries however many challenges and replies)."""
    queryset = (
        Challenge.objects.visible_to(user)
        .select_related("assessment", "response__requirement", "raised_by", "closed_by")
        .prefetch_related(
            Prefetch("replies", queryset=ChallengeReply.objects.select_related("author").order_by("created_at", "id"))
        )
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("assessment_id", "created_at", "id")


def transitions_of(*, assessment: Assessment) -> QuerySet[Transition]:
    """The assessment's moves through the workflow, newest first, with who made them."""
    return assessment.transitions.select_related("actor").order_by("-at", "-id")


def _ids_as_text(queryset: QuerySet) -> QuerySet:
    # AuditEntry.object_id is text (it serves every model), so the ids are compared as text.
    return queryset.annotate(text_id=Cast("id", CharField())).values("text_id")


def audit_trail_of(*, assessment: Assessment) -> QuerySet[AuditEntry]:
    """Audit entries of the assessment and of its responses, departures, actions, challenges (and their
    replies) and transitions, newest first, in one query whatever their number.

    The child ids are subqueries, not lists, so the cost does not grow with the assessment. Rows are
    narrowed by `force_id` first (indexed); challenge replies are matched by id alone because the
    audit trail records no force for them (`core.audit.force_id_of` does not reach through a challenge).
    A child that has been deleted is no longer found; the services never delete these records.
    """

    def child(model, queryset) -> Q:
        return Q(model=model._meta.label_lower, object_id__in=_ids_as_text(queryset))

    own = Q(model=Assessment._meta.label_lower, object_id=str(assessment.pk))
    for model, manager in (
        (Response, assessment.responses),
        (Departure, assessment.departures),
        (Action, assessment.actions),
        (Challenge, assessment.challenges),
        (Transition, assessment.transitions),
    ):
        own |= child(model, manager.all())
    replies = child(ChallengeReply, ChallengeReply.objects.filter(challenge__assessment=assessment))
    return AuditEntry.objects.filter((Q(force_id=assessment.force_id) & own) | replies).order_by("-id")


def snapshot_get(*, user, assessment_pk) -> Snapshot:
    """The frozen payload of a published assessment the user may see, else 404 (as for one not published)."""
    return get_object_or_404(Snapshot.objects.visible_to(user), assessment_id=assessment_pk)


def assessment_workflow_get(*, user, pk) -> Assessment:
    """`assessment_get` plus what the workflow pages show: who created it, gave the statements, signed
    off and published, the version this one supersedes and the snapshot's hash (its payload
    deferred); 404 for an assessment the user may not see.

    Three small queries rather than one: joining the four people into the assessment's query made
    PostgreSQL spend ~10 ms planning it, against well under 1 ms for each of these. A draft comes
    with its latest transition (`last_action`, `last_note`, `last_at`, `last_actor_name`,
    `last_actor_username`), so it can say it was returned for changes, why, and by whom.
    """
    assessment = get_object_or_404(
        Assessment.objects.visible_to(user)
        .select_related("force", "force__region", "edition", "supersedes", "snapshot")
        .defer("snapshot__payload"),
        pk=pk,
    )
    people = ("created_by", "chief_statement_by", "signed_off_by", "published_by")
    ids = {getattr(assessment, f"{name}_id") for name in people} - {None}
    users = {person.pk: person for person in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    for name in people:
        setattr(assessment, name, users.get(getattr(assessment, f"{name}_id")))
    latest = None
    if assessment.status == AssessmentStatus.DRAFT:
        latest = assessment.transitions.select_related("actor").order_by("-at", "-id").first()
    assessment.last_action = latest.action if latest else None
    assessment.last_note = latest.note if latest else None
    assessment.last_at = latest.at if latest else None
    assessment.last_actor_name = f"{latest.actor.first_name} {latest.actor.last_name}" if latest else None
    assessment.last_actor_username = latest.actor.username if latest else None
    return assessment


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting for a user: what to do, on which assessment, and the page where it is done."""

    kind: str
    title: str
    url: str
    assessment: Assessment
    detail: str = ""


#: How long a published assessment stays in an HMIC inspector's "waiting for you" list.
RECENTLY_PUBLISHED_DAYS = 90
WAITING_LIMIT = 20


def challenge_url(challenge: Challenge) -> str:
    """The page where a challenge is answered: its response's page, or the assessment's challenges."""
    from django.urls import reverse

    if challenge.response_id:
        url = reverse("assessments:response", args=[challenge.assessment_id, challenge.response.requirement.ref])
    else:
        url = reverse("assessments:challenges", args=[challenge.assessment_id])
    return f"{url}#challenge-{challenge.pk}"


def _open_challenges(user):
    """Open challenges of the user's own forces while the chief constable is answering, with the author
    of the latest message in each thread (`last_author_id`, null when nobody has replied yet)."""
    from django.db.models import OuterRef, Subquery

    from assessments.models import ChallengeStatus
    from assessments.permissions import CHALLENGE_STATES
    from core.querysets import force_ids_for

    latest = ChallengeReply.objects.filter(challenge=OuterRef("pk")).order_by("-created_at", "-id")
    return (
        Challenge.objects.visible_to(user)
        .filter(
            status=ChallengeStatus.OPEN,
            assessment__status__in=CHALLENGE_STATES,
            assessment__force_id__in=force_ids_for(user),
        )
        .annotate(last_author_id=Subquery(latest.values("author_id")[:1]))
        .select_related("assessment", "assessment__force", "response__requirement")
        .order_by("assessment__force__name", "created_at", "id")
    )


def waiting_for(*, user) -> list[WaitingItem]:
    """What is waiting for the user, by role, each item linking to the page where it is done.

    PCC office staff: drafts to finish or submit (and those returned for changes, with the reason).
    Chief constable: submitted assessments to respond to, and open challenges whose latest message is
    not theirs. PCC: responded assessments to sign off, signed-off ones to publish, and open challenges
    whose latest message is a chief constable's reply. HMIC inspector: recently published assessments.
    One or two queries per role the user holds, however many items there are.
    """
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db.models import OuterRef, Subquery
    from django.urls import reverse

    from assessments.models import AssessmentStatus
    from core.querysets import force_ids_for
    from core.roles import Role, has_role

    items: list[WaitingItem] = []
    own_forces = force_ids_for(user)

    if has_role(user, Role.PCC_STAFF) and own_forces:
        latest = Transition.objects.filter(assessment=OuterRef("pk")).order_by("-at", "-id")
        drafts = (
            assessment_list(user=user)
            .filter(status=AssessmentStatus.DRAFT, force_id__in=own_forces)
            .annotate(last_action=Subquery(latest.values("action")[:1]), last_note=Subquery(latest.values("note")[:1]))
        )
        for assessment in drafts[:WAITING_LIMIT]:
            detail_url = reverse("assessments:detail", args=[assessment.pk])
            if assessment.last_action == "return":
                items.append(
                    WaitingItem(
                        "returned",
                        "Make the changes asked for and submit again",
                        detail_url,
                        assessment,
                        assessment.last_note or "",
                    )
                )
            elif assessment.response_total and assessment.response_completed == assessment.response_total:
                items.append(
                    WaitingItem(
                        "submit",
                        "Check your answers and submit to the chief constable",
                        reverse("assessments:check", args=[assessment.pk]),
                        assessment,
                    )
                )
            else:
                items.append(
                    WaitingItem(
                        "finish",
                        "Finish the self-assessment",
                        detail_url,
                        assessment,
                        f"{assessment.response_completed} of {assessment.response_total} requirements completed",
                    )
                )

    if has_role(user, Role.CHIEF_CONSTABLE) and own_forces:
        submitted = (
            Assessment.objects.visible_to(user)
            .filter(status=AssessmentStatus.SUBMITTED, force_id__in=own_forces)
            .select_related("force", "edition")
            .order_by("force__name", "-period", "-revision")
        )
        for assessment in submitted[:WAITING_LIMIT]:
            items.append(
                WaitingItem(
                    "respond",
                    "Give the chief constable's response",
                    reverse("assessments:respond", args=[assessment.pk]),
                    assessment,
                )
            )
        challenges = _open_challenges(user).filter(Q(last_author_id__isnull=True) | ~Q(last_author_id=user.pk))
        for challenge in challenges[:WAITING_LIMIT]:
            items.append(
                WaitingItem(
                    "challenge",
                    f"Reply to the challenge on {_subject(challenge)}",
                    challenge_url(challenge),
                    challenge.assessment,
                )
            )

    if has_role(user, Role.PCC) and own_forces:
        pending = (
            Assessment.objects.visible_to(user)
            .filter(status__in=[AssessmentStatus.RESPONDED, AssessmentStatus.SIGNED_OFF], force_id__in=own_forces)
            .select_related("force", "edition")
            .order_by("force__name", "-period", "-revision")
        )
        for assessment in pending[:WAITING_LIMIT]:
            if assessment.status == AssessmentStatus.RESPONDED:
                items.append(
                    WaitingItem(
                        "sign_off",
                        "Consider the chief constable's response and sign off",
                        reverse("assessments:sign-off", args=[assessment.pk]),
                        assessment,
                    )
                )
            else:
                items.append(
                    WaitingItem(
                        "publish", "Publish to HMIC", reverse("assessments:publish", args=[assessment.pk]), assessment
                    )
                )
        chiefs = get_user_model().objects.filter(groups__name=Role.CHIEF_CONSTABLE.value).values("pk")
        for challenge in _open_challenges(user).filter(last_author_id__in=chiefs)[:WAITING_LIMIT]:
            items.append(
                WaitingItem(
                    "challenge",
                    f"Consider the chief constable's reply on {_subject(challenge)}",
                    challenge_url(challenge),
                    challenge.assessment,
                )
            )

    if has_role(user, Role.INSPECTOR):
        since = timezone.now() - dt.timedelta(days=RECENTLY_PUBLISHED_DAYS)
        published = (
            Assessment.objects.visible_to(user)
            .filter(status=AssessmentStatus.PUBLISHED, published_at__gte=since)
            .select_related("force", "edition", "published_by")
            .order_by("-published_at", "-id")
        )
        for assessment in published[:WAITING_LIMIT]:
            items.append(
                WaitingItem(
                    "read",
                    "Read the published assessment",
                    reverse("assessments:detail", args=[assessment.pk]),
                    assessment,
                    f"Published {timezone.localtime(assessment.published_at):%-d %B %Y}",
                )
            )
    return items


def _subject(challenge: Challenge) -> str:
    return f"requirement {challenge.response.requirement.ref}" if challenge.response_id else "the whole assessment"


def response_workflow_get(*, user, assessment_pk, ref: str) -> Response:
    """`response_get`, with `has_challenges` annotated so a response nobody has challenged costs no
    query for its (empty) challenges section."""
    from django.db.models import Exists, OuterRef

    return get_object_or_404(
        Response.objects.visible_to(user)
        .annotate(has_challenges=Exists(Challenge.objects.filter(response=OuterRef("pk"))))
        .select_related(
            "assessment", "assessment__force", "assessment__edition", "requirement", "judgement", "updated_by"
        )
        .prefetch_related("evidence", "requirement__areas", "requirement__threats"),
        assessment_id=assessment_pk,
        requirement__ref=ref,
    )
