"""What is waiting for a user, by role (drafts to finish or submit, assessments to respond to, sign
off, publish or read, challenges to answer), and the page where a challenge is answered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from assessments.models import (
    Assessment,
    Challenge,
    ChallengeReply,
    Transition,
)
from assessments.selectors.common import assessment_list


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
    from forces.scoping import force_ids_for

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


def challenges_waiting_for(*, user):
    """Open challenges of the user's forces waiting for the user's answer, in one query: for a chief
    constable those whose latest message is not theirs, for the PCC and their office those whose
    latest message is a chief constable's reply (as `waiting_for` lists them)."""
    from django.contrib.auth import get_user_model

    from core.roles import Role, has_role

    conditions = []
    if has_role(user, Role.CHIEF_CONSTABLE):
        conditions.append(Q(last_author_id__isnull=True) | ~Q(last_author_id=user.pk))
    if has_role(user, Role.PCC, Role.PCC_STAFF):
        chiefs = get_user_model().objects.filter(groups__name=Role.CHIEF_CONSTABLE.value).values("pk")
        conditions.append(Q(last_author_id__in=chiefs))
    if not conditions:
        return Challenge.objects.none()
    either = conditions[0]
    for condition in conditions[1:]:
        either |= condition
    return _open_challenges(user).filter(either)


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
    from core.roles import Role, has_role
    from forces.scoping import force_ids_for

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
