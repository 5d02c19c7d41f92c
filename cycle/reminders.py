"""Reminders and weekly digests: who must act on what, and the e-mails that tell them, each sent once.

Once a day (Celery beat: `cycle.send_reminders`) `reminders_send` works out what is coming due or
late, and e-mails the person who must act:

- a workflow step (submit, respond, sign off, publish) due within STEP_DUE_DAYS or late against its
  period's deadline: the role that acts at that step (assessments.transitions) in that force;
- an action due within ACTION_DUE_DAYS or overdue: its owner (`action_recipients`);
- evidence past its review-by date: the force's PCC office staff;
- a live departure due for review within DEPARTURE_DUE_DAYS or overdue: the force's PCC office staff.

A reminder of something coming due is sent once (for that date: a changed deadline reminds afresh);
a reminder of something late is sent again each REPEAT_DAYS while it stays late. People who chose
"digest only" on their profile get none of these one by one: on Mondays everyone with anything open
gets one digest listing it all (if Monday's run was missed, a run on Tuesday or Wednesday sends them).

Idempotent under restarts and concurrency: each e-mail is first *claimed* by inserting its Reminder
row, whose unique constraint (kind, subject, recipient, day) lets only one run or worker insert it;
only the one that inserted it sends. A send that fails deletes its claim, so the next run tries again.
A worker killed between the claim and the send leaves a claim without `sent_at`: that reminder is
not sent again that day (never twice), and the next day's run, seeing the claim never completed,
sends it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import notifications
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    AssessmentStatus,
    Departure,
    DepartureStatus,
    Evidence,
)
from assessments.transitions import TRANSITIONS
from core.people import display_name
from core.roles import FORCE_ROLES, Role
from core.templatetags.govuk import govuk_date
from cycle.models import PeriodDeadlines, Reminder, ReminderKind
from cycle.standing import STATUS_RANK, STEP_RANK, cycle_status
from forces.models import Force

logger = logging.getLogger(__name__)

STEP_DUE_DAYS = 7
ACTION_DUE_DAYS = 14
DEPARTURE_DUE_DAYS = 14
#: How often a reminder of something late is sent again while it stays late.
REPEAT_DAYS = 7
#: The digest goes on this day of the week (Monday is 0).
DIGEST_WEEKDAY = 0
#: A digest day whose run was missed is caught up by a run on one of the next this many days.
DIGEST_CATCH_UP_DAYS = 2

#: The step an assessment in each status waits for (a published one waits for nothing).
NEXT_STEP = {rank: step for step, rank in STEP_RANK.items()}


@dataclass
class Item:
    """One thing someone must act on: what, in words; the page where it is done; who must act."""

    kind: str
    subject: str  # what it is about, for the Reminder row (see Reminder.subject)
    force_id: int
    title: str
    detail: str
    url: str
    late: bool
    recipients: list = field(default_factory=list)  # users


@dataclass
class RunReport:
    """What one run did: e-mails sent, reminders already sent (skipped), and sends that failed."""

    sent: int = 0
    skipped: int = 0
    failed: int = 0
    digests: int = 0


# --- Who must act -------------------------------------------------------------------------------------


class People:
    """The active users of every force by role, read in two queries."""

    def __init__(self):
        User = get_user_model()
        rows = (
            User.objects.filter(
                is_active=True, groups__name__in=[role.value for role in FORCE_ROLES], memberships__isnull=False
            )
            .values_list("pk", "groups__name", "memberships__force_id")
            .distinct()
        )
        self.by_force_role: dict[tuple[int, str], set[int]] = defaultdict(set)
        ids = set()
        for pk, role, force_id in rows:
            self.by_force_role[(force_id, role)].add(pk)
            ids.add(pk)
        self.users = {user.pk: user for user in User.objects.filter(pk__in=ids).select_related("profile")}

    def add(self, users) -> None:
        """Know people found another way (an action's named owner), so their digest can be sent."""
        for user in users:
            self.users.setdefault(user.pk, user)

    def holding(self, force_id: int, roles) -> list:
        ids = set().union(*(self.by_force_role.get((force_id, role.value), set()) for role in roles))
        return sorted((self.users[pk] for pk in ids if pk in self.users), key=lambda user: user.pk)


def action_recipients(action: Action, people: People) -> list:
    """Who is reminded of an action: its owner, when the owner is a person of the service
    (`Action.owner_user`), else the force's PCC office staff. The one place the owner is looked up,
    so the rule changes here only."""
    owner = action.owner_user
    if owner is not None and owner.is_active:
        people.add([owner])
        return [owner]
    return people.holding(action.assessment.force_id, (Role.PCC_STAFF,))


# --- What is due --------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return notifications.absolute(path)


def _current_assessments():
    """Assessments no newer revision has replaced."""
    newer = Assessment.objects.filter(
        force_id=OuterRef("force_id"),
        edition_id=OuterRef("edition_id"),
        period=OuterRef("period"),
        revision__gt=OuterRef("revision"),
    )
    return Assessment.objects.filter(~Exists(newer))


STEP_URLS = {
    "submit": "assessments:detail",
    "respond": "assessments:respond",
    "sign_off": "assessments:sign-off",
    "publish": "assessments:publish",
}


def _step_words(step: str, force: str, period: str) -> str:
    return {
        "submit": _("Submit %(force)s’s SPR self-assessment for %(period)s to the chief constable"),
        "respond": _("Give the chief constable’s response to %(force)s’s SPR self-assessment for %(period)s"),
        "sign_off": _("Sign off %(force)s’s SPR self-assessment for %(period)s"),
        "publish": _("Publish %(force)s’s SPR self-assessment for %(period)s to HMIC"),
    }[step] % {"force": force, "period": period}


def _due_words(due: dt.date, today: dt.date) -> tuple[str, bool]:
    if due < today:
        return _("Late: it was due by %(date)s") % {"date": govuk_date(due)}, True
    if due == today:
        return _("Due today, %(date)s") % {"date": govuk_date(due)}, False
    return _("Due by %(date)s") % {"date": govuk_date(due)}, False


def step_items(*, today: dt.date, people: People, window: int = STEP_DUE_DAYS) -> list[Item]:
    """The workflow step each force's assessment waits for, when due within `window` days or late,
    for the periods whose deadlines are set (a force that has not started counts from submission)."""
    deadlines = {
        row.period: row
        for row in PeriodDeadlines.objects.filter(
            publish_by__gte=today - dt.timedelta(days=365), submit_by__lte=today + dt.timedelta(days=window)
        )
    }
    if not deadlines:
        return []
    current: dict[tuple[int, str], Assessment] = {}
    for assessment in _current_assessments().filter(period__in=list(deadlines)).select_related("force"):
        key = (assessment.force_id, assessment.period)
        kept = current.get(key)
        if kept is None or STATUS_RANK[cycle_status(assessment)] > STATUS_RANK[cycle_status(kept)]:
            current[key] = assessment
    items = []
    for force in Force.objects.order_by("name"):
        for period, row in deadlines.items():
            assessment = current.get((force.id, period))
            if assessment is not None and cycle_status(assessment) == AssessmentStatus.PUBLISHED:
                continue
            step = NEXT_STEP[STATUS_RANK[assessment.status] + 1] if assessment else "submit"
            due = row.date_for(step)
            if (due - today).days > window:
                continue
            detail, late = _due_words(due, today)
            if assessment is not None:
                subject = f"assessment:{assessment.pk}:{step}:{due.isoformat()}"
                url = _absolute(reverse(STEP_URLS[step], args=[assessment.pk]))
            else:
                subject = f"force:{force.pk}:{period}:{step}:{due.isoformat()}"
                url = _absolute(reverse("assessments:list"))
            items.append(
                Item(
                    kind=ReminderKind.STEP_LATE if late else ReminderKind.STEP_DUE,
                    subject=subject,
                    force_id=force.pk,
                    title=_step_words(step, force.name, period),
                    detail=detail if assessment else f"{detail} ({_('no self-assessment has been started')})",
                    url=url,
                    late=late,
                    recipients=people.holding(force.pk, TRANSITIONS[step].roles),
                )
            )
    return items


def action_items(*, today: dt.date, people: People, window: int = ACTION_DUE_DAYS) -> list[Item]:
    """Open actions of current assessments due within `window` days or overdue."""
    actions = (
        Action.objects.filter(
            assessment__in=_current_assessments(),
            status__in=OPEN_ACTION_STATUSES,
            due_date__lte=today + dt.timedelta(days=window),
        )
        .select_related("assessment__force", "requirement", "owner_user__profile")
        .order_by("due_date", "id")
    )
    items = []
    for action in actions:
        detail, late = _due_words(action.due_date, today)
        assessment = action.assessment
        items.append(
            Item(
                kind=ReminderKind.ACTION_OVERDUE if late else ReminderKind.ACTION_DUE,
                subject=f"action:{action.pk}:{action.due_date.isoformat()}",
                force_id=assessment.force_id,
                title=_("Action on requirement %(ref)s (%(force)s %(period)s): %(description)s")
                % {
                    "ref": action.requirement.ref,
                    "force": assessment.force.name,
                    "period": assessment.period,
                    "description": action.description[:120],
                },
                detail=detail,
                url=_absolute(reverse("assessments:action-edit", args=[assessment.pk, action.pk])),
                late=late,
                recipients=action_recipients(action, people),
            )
        )
    return items


def evidence_items(*, today: dt.date, people: People) -> list[Item]:
    """Evidence whose review-by date has passed."""
    items = []
    for evidence in Evidence.objects.filter(review_by__lt=today).select_related("force").order_by("review_by", "id"):
        items.append(
            Item(
                kind=ReminderKind.EVIDENCE_REVIEW,
                subject=f"evidence:{evidence.pk}:{evidence.review_by.isoformat()}",
                force_id=evidence.force_id,
                title=_("Review the evidence “%(title)s” (%(force)s)")
                % {"title": evidence.title, "force": evidence.force.name},
                detail=_("Its review date was %(date)s") % {"date": govuk_date(evidence.review_by)},
                url=_absolute(reverse("assessments:evidence-detail", args=[evidence.pk])),
                late=True,
                recipients=people.holding(evidence.force_id, (Role.PCC_STAFF,)),
            )
        )
    return items


def departure_items(*, today: dt.date, people: People, window: int = DEPARTURE_DUE_DAYS) -> list[Item]:
    """Live departures of current assessments due for review within `window` days or overdue."""
    departures = (
        Departure.objects.filter(
            assessment__in=_current_assessments(),
            status=DepartureStatus.LIVE,
            review_date__lte=today + dt.timedelta(days=window),
        )
        .select_related("assessment__force", "requirement")
        .order_by("review_date", "id")
    )
    items = []
    for departure in departures:
        detail, late = _due_words(departure.review_date, today)
        assessment = departure.assessment
        items.append(
            Item(
                kind=ReminderKind.DEPARTURE_REVIEW,
                subject=f"departure:{departure.pk}:{departure.review_date.isoformat()}{':late' if late else ''}",
                force_id=assessment.force_id,
                title=_("Review the departure from requirement %(ref)s (%(force)s %(period)s)")
                % {"ref": departure.requirement.ref, "force": assessment.force.name, "period": assessment.period},
                detail=detail,
                url=_absolute(reverse("assessments:departure-edit", args=[assessment.pk, departure.pk])),
                late=late,
                recipients=people.holding(assessment.force_id, (Role.PCC_STAFF,)),
            )
        )
    return items


def open_items(*, today: dt.date, people: People | None = None) -> list[Item]:
    """Everything coming due or late today, each with the people who must act on it."""
    people = people or People()
    return [
        *step_items(today=today, people=people),
        *action_items(today=today, people=people),
        *evidence_items(today=today, people=people),
        *departure_items(today=today, people=people),
    ]


# --- Sending ------------------------------------------------------------------------------------------


def _digest_only(user) -> bool:
    """The person chose the weekly digest only (people's Profile, read by its related name)."""
    try:
        return bool(user.profile.digest_only)
    except (AttributeError, ObjectDoesNotExist):
        return False


def _claim(*, kind: str, subject: str, recipient, day: dt.date, force_id: int | None) -> Reminder | None:
    """Insert the reminder's row; None if another run (or worker) already has it for the day."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(kind=kind, subject=subject, recipient=recipient, day=day, force_id=force_id)
    except IntegrityError:
        return None


def _deliver(reminder: Reminder, email: EmailMultiAlternatives, report: RunReport) -> bool:
    """Send a claimed reminder's e-mail; mark it sent, or release the claim if the send failed."""
    try:
        email.send(fail_silently=False)
    except Exception:  # noqa: BLE001 — whatever the mail server says, the claim is released for a retry
        logger.exception("Reminder %s to user %s not sent", reminder.subject, reminder.recipient_id)
        Reminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).delete()
        report.failed += 1
        return False
    Reminder.objects.filter(pk=reminder.pk).update(sent_at=timezone.now())
    report.sent += 1
    return True


def _reminder_email(item: Item, user) -> EmailMultiAlternatives:
    message = notifications.Message(
        subject=(_("Late: %(title)s") if item.late else _("Reminder: %(title)s")) % {"title": item.title},
        paragraphs=[f"{item.title}.", f"{item.detail}."],
        link_text=_("Open it in %(service)s") % {"service": settings.SPR_SERVICE_NAME},
        url=item.url,
        recipients=[user.email],
    )
    context = {"message": message, "service": settings.SPR_SERVICE_NAME}
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=render_to_string("email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=message.recipients,
    )
    email.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    return email


def _already_sent(*, today: dt.date, items: list[Item]) -> set[tuple[str, str, int]]:
    """(kind, subject, recipient) of reminders that need not go again today: a coming-due reminder
    once sent, a late one sent within the last REPEAT_DAYS, and anything claimed today (another
    run's claim is honoured even before its send completes). A claim of an earlier day never marked
    sent (its worker died before sending) does not count, so that reminder goes now. One query."""
    late = {(item.kind, item.subject): item.late for item in items}
    if not late:
        return set()
    done = set()
    rows = (
        Reminder.objects.filter(subject__in={subject for _kind, subject in late})
        .filter(Q(sent_at__isnull=False) | Q(day=today))
        .values_list("kind", "subject", "recipient_id", "day")
    )
    for kind, subject, recipient_id, day in rows:
        if (kind, subject) not in late:
            continue
        if not late[(kind, subject)] or (today - day).days < REPEAT_DAYS:
            done.add((kind, subject, recipient_id))
    return done


def reminders_send(*, today: dt.date | None = None) -> RunReport:
    """Send today's reminders, and the weekly digests on DIGEST_WEEKDAY (or on one of the
    DIGEST_CATCH_UP_DAYS after it, if no digest went out that week). Safe to run again, or on several
    workers at once: nothing is sent twice. Returns what was done."""
    today = today or timezone.localdate()
    report = RunReport()
    people = People()
    items = open_items(today=today, people=people)
    sent_before = _already_sent(today=today, items=items)
    for item in items:
        for user in item.recipients:
            if not user.email or _digest_only(user) or (item.kind, item.subject, user.pk) in sent_before:
                report.skipped += 1
                continue
            reminder = _claim(kind=item.kind, subject=item.subject, recipient=user, day=today, force_id=item.force_id)
            if reminder is None:
                report.skipped += 1
                continue
            _deliver(reminder, _reminder_email(item, user), report)
    late_by = today.weekday() - DIGEST_WEEKDAY
    if late_by == 0 or (0 < late_by <= DIGEST_CATCH_UP_DAYS and not _digests_went(today)):
        digests_send(today=today, report=report, people=people)
    return report


def _week_of(day: dt.date) -> str:
    """The subject a digest names its week by ("week:2026-W49")."""
    year, week, _weekday = day.isocalendar()
    return f"week:{year}-W{week:02d}"


def _digests_went(today: dt.date) -> bool:
    """Whether this week's digests went out: a run missed on DIGEST_WEEKDAY (the worker or the beat
    down, a deploy) is caught up by a run in the next DIGEST_CATCH_UP_DAYS, so people who chose the
    digest only are not left a week without word of what waits for them. (A digest day whose run found
    nothing for anyone counts as missed: nobody is sent two digests in a week either way.)"""
    return Reminder.objects.filter(kind=ReminderKind.DIGEST, subject=_week_of(today)).exists()


def digest_items(*, today: dt.date, people: People) -> dict[int, list[Item]]:
    """Each person's open items for the week: steps and actions due within 14 days or late, evidence
    past review, departures due for review."""
    items = [
        *step_items(today=today, people=people, window=ACTION_DUE_DAYS),
        *action_items(today=today, people=people),
        *evidence_items(today=today, people=people),
        *departure_items(today=today, people=people),
    ]
    per_person: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        for user in item.recipients:
            per_person[user.pk].append(item)
    return per_person


def digests_send(*, today: dt.date, report: RunReport | None = None, people: People | None = None) -> RunReport:
    """One e-mail per person listing their open items (late first), once a week."""
    report = report or RunReport()
    people = people or People()
    subject = _week_of(today)
    sent_before = set(
        Reminder.objects.filter(kind=ReminderKind.DIGEST, subject=subject).values_list("recipient_id", flat=True)
    )
    for user_id, items in sorted(digest_items(today=today, people=people).items()):
        user = people.users.get(user_id)
        if user is None or not user.email:
            continue
        if user_id in sent_before:
            report.skipped += 1
            continue
        reminder = _claim(kind=ReminderKind.DIGEST, subject=subject, recipient=user, day=today, force_id=None)
        if reminder is None:
            report.skipped += 1
            continue
        items = sorted(items, key=lambda item: (not item.late, item.title))
        context = {
            "name": display_name(user),
            "items": items,
            "late": sum(1 for item in items if item.late),
            "week": govuk_date(today),
            "service": settings.SPR_SERVICE_NAME,
            "home": _absolute(reverse("home")),
            "profile": _absolute(reverse("people:me")),
        }
        email = EmailMultiAlternatives(
            subject=ngettext(
                "Your SPR week: %(count)s thing waiting for you",
                "Your SPR week: %(count)s things waiting for you",
                len(items),
            )
            % {"count": len(items)},
            body=render_to_string("email/digest.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
        )
        email.attach_alternative(render_to_string("email/digest.html", context), "text/html")
        if _deliver(reminder, email, report):
            report.digests += 1
    return report
