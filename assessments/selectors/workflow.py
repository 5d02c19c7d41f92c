"""What the workflow pages read: challenges with their replies, an assessment's transitions and audit
trail, its published snapshot, and the assessment and response with what those pages show of them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import CharField, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.shortcuts import get_object_or_404

from assessments.models import (
    Action,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    Departure,
    Response,
    Snapshot,
    Transition,
)
from core.models import AuditEntry
from core.people import display_name
from forces.scoping import loaded_for


def challenge_list(*, user, assessment: Assessment | None = None) -> QuerySet[Challenge]:
    """Challenges the user may see, each with its subject's requirement, people and replies (three
    queries however many challenges and replies)."""
    queryset = (
        Challenge.objects.visible_to(user)
        .select_related(
            "assessment",
            "response__requirement",
            "raised_by",
            "raised_by__profile",
            "closed_by",
            "closed_by__profile",
        )
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=ChallengeReply.objects.select_related("author", "author__profile").order_by(
                    "created_at", "id"
                ),
            )
        )
    )
    if assessment is not None:
        queryset = queryset.filter(assessment=assessment)
    return queryset.order_by("assessment_id", "created_at", "id")


def transitions_of(*, assessment: Assessment) -> QuerySet[Transition]:
    """The assessment's moves through the workflow, newest first, with who made them."""
    return assessment.transitions.select_related("actor", "actor__profile").order_by("-at", "-id")


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
    # Record changes only: a security event (someone denied this assessment) is not its history.
    records = AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD)
    return records.filter((Q(force_id=assessment.force_id) & own) | replies).order_by("-id")


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
    users = (
        {person.pk: person for person in get_user_model().objects.select_related("profile").filter(pk__in=ids)}
        if ids
        else {}
    )
    for name in people:
        setattr(assessment, name, users.get(getattr(assessment, f"{name}_id")))
    latest = None
    if assessment.status == AssessmentStatus.DRAFT:
        latest = assessment.transitions.select_related("actor", "actor__profile").order_by("-at", "-id").first()
    assessment.last_action = latest.action if latest else None
    assessment.last_note = latest.note if latest else None
    assessment.last_at = latest.at if latest else None
    assessment.last_actor_name = display_name(latest.actor) if latest else None
    assessment.last_actor_username = latest.actor.username if latest else None
    return loaded_for(assessment, user)


def response_workflow_get(*, user, assessment_pk, ref: str) -> Response:
    """`response_get`, with `has_challenges` annotated so a response nobody has challenged costs no
    query for its (empty) challenges section."""
    from django.db.models import Exists, OuterRef

    return get_object_or_404(
        Response.objects.visible_to(user)
        .annotate(has_challenges=Exists(Challenge.objects.filter(response=OuterRef("pk"))))
        .select_related(
            "assessment",
            "assessment__force",
            "assessment__edition",
            "requirement",
            "judgement",
            "updated_by__profile",
            "owner__profile",
        )
        # The requirement's areas and threats come from the edition's structure (capabilities.structure).
        .prefetch_related("evidence"),
        assessment_id=assessment_pk,
        requirement__ref=ref,
    )
