"""The assessments of the national demo and everything in them, written in bulk: each assessment in
its final state, its evidence, a response to every requirement with links to the evidence, actions on
some of the gaps, departures, the workflow transitions and a challenge thread, and the snapshots of
the published ones. Every model with history gets its history rows and audit entries as it is
inserted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import (
    Action,
    ActionStatus,
    Assessment,
    Challenge,
    ChallengeReply,
    ChallengeStatus,
    DepartingParty,
    Departure,
    DepartureStatus,
    Evidence,
    EvidenceKind,
    Response,
    ScanStatus,
    Snapshot,
    Transition,
)
from assessments.snapshots import snapshot_payload, snapshot_sha256
from core.audit import bulk_create_audited
from demo.national.common import S, SeedResult, day_in, period_dates, seeded_rng, timeline
from demo.national.prose import OWNERS, TOPICS, narrative
from forces.models import Force

EVIDENCE_PER_PERIOD = 25
FILES_PER_FORCE = 2


PATH = [S.DRAFT, S.SUBMITTED, S.RESPONDED, S.SIGNED_OFF, S.PUBLISHED]
ACTIONS = {S.SUBMITTED: "submit", S.RESPONDED: "respond", S.SIGNED_OFF: "sign_off", S.PUBLISHED: "publish"}


def _evidence(force: Force, period: str, user, rng: random.Random, with_files: bool) -> list[Evidence]:
    items = []
    for number, topic in enumerate(TOPICS[:EVIDENCE_PER_PERIOD]):
        day = day_in(period, rng, until=300)  # within the period, never after today
        review = day + dt.timedelta(days=rng.choice([180, 365, 540, 730]))
        title = f"{topic} {period}"
        item = Evidence(
            force=force,
            title=title,
            owner=rng.choice(OWNERS),
            evidence_date=day,
            review_by=review,
            description=f"{topic} for {force.name}, {period}. Held by the owner named here.",
            created_by=user,
        )
        if with_files and number < FILES_PER_FORCE:
            body = f"{title}\n\nOFFICIAL-SENSITIVE\n\nDemo document for {force.name}.\n".encode()
            item.kind = EvidenceKind.FILE
            item.original_name = f"{topic.lower().replace(' ', '-')}.txt"
            item.content_type = "text/plain"
            item.size = len(body)
            item.sha256 = hashlib.sha256(body).hexdigest()
            item.scan_status = ScanStatus.NOT_SCANNED  # generated here, never uploaded
            item.file.save("upload", ContentFile(body), save=False)
        elif number % 2:
            item.scan_status = ""
            item.kind = EvidenceKind.LINK
            item.url = f"https://intranet.example.police.uk/{force.code}/{period[:4]}/{number}"
        else:
            item.scan_status = ""
            item.kind = EvidenceKind.REFERENCE
            item.reference = f"{force.code.upper()[:4]}/{period[:4]}/{number:03d}"
        item._history_user = user
        items.append(item)
    return items


def assessments_seed(plans, edition, people, requirements, scale, result: SeedResult, periods) -> None:
    best, middle, worst = scale
    first_period_of = {}
    for force, period, _, _, _ in plans:
        first_period_of.setdefault(force.id, period)

    # Assessments, in their final state; the transitions below record how they got there.
    assessments = []
    today = timezone.localdate()
    for force, period, _, status, rng in plans:
        who = people[force.code]
        when = timeline(period, today)
        reached = PATH.index(status)
        a = Assessment(
            force=force,
            edition=edition,
            period=period,
            status=status,
            created_by=who["staff"],
            share_with_hmic=status != S.DRAFT and rng.random() < 0.7,
        )
        if reached >= PATH.index(S.RESPONDED):
            a.chief_statement = (
                f"The force has had regard to the Strategic Policing Requirement in {period} and "
                "meets it, with the gaps and actions recorded in this assessment."
            )
            a.chief_statement_by, a.chief_statement_at = who["chief"], when(20)
        if reached >= PATH.index(S.SIGNED_OFF):
            a.assurance_statement = (
                "I am assured that the chief constable has had regard to the SPR; I will track "
                "the open actions at my accountability board."
            )
            a.signed_off_by, a.signed_off_at = who["pcc"], when(40)
        if status == S.PUBLISHED:
            a.published_by, a.published_at = who["pcc"], when(45)
        a._history_user = who["staff"]
        assessments.append(a)
    assessments = bulk_create_audited(Assessment, assessments)
    result.assessments = len(assessments)

    # Evidence: ~25 items per force and period, a couple of small files in each force's first period.
    evidence_by_assessment: dict[int, list[Evidence]] = {}
    all_evidence = []
    for a, (force, period, _, _, rng) in zip(assessments, plans, strict=True):
        items = _evidence(force, period, people[force.code]["staff"], rng, first_period_of[force.id] == period)
        evidence_by_assessment[id(a)] = items
        all_evidence.extend(items)
    bulk_create_audited(Evidence, all_evidence)
    result.evidence = len(all_evidence)

    # Responses: every requirement answered; each force has its own strength, improving over time.
    responses, links, weak = [], [], []
    for a, (force, _, index, _, rng) in zip(assessments, plans, strict=True):
        staff = people[force.code]["staff"]
        strength = seeded_rng(force.code).uniform(0.45, 0.8) + 0.04 * index
        for requirement in requirements:
            roll = rng.random()
            level = best if roll < strength else middle if roll < strength + (1 - strength) * 0.75 else worst
            r = Response(
                assessment=a,
                requirement=requirement,
                judgement=level,
                narrative=narrative(rng, force),
                version=2,
                updated_by=staff,
                updated_at=a.created_at,
            )
            r._history_user = staff
            responses.append(r)
            if level.id != best.id:
                weak.append((a, r, requirement, rng, level))
    bulk_create_audited(Response, responses)
    result.responses = len(responses)
    through = Response.evidence.through
    for r in responses:
        rng = seeded_rng(r.assessment_id, r.requirement_id)
        for item in rng.sample(evidence_by_assessment[id(r.assessment)], k=rng.randint(1, 3)):
            links.append(through(response_id=r.id, evidence_id=item.id))
    through.objects.bulk_create(links, batch_size=2000)

    # Actions on about half the gaps (some overdue), and one or two departures per assessment.
    actions = []
    for a, r, requirement, rng, level in weak:
        if rng.random() >= 0.5:
            continue
        status = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS, ActionStatus.DONE])
        if status == ActionStatus.DONE:
            due = day_in(a.period, rng)
        else:  # open work is due around today: some overdue, some next month, some later
            due = today + dt.timedelta(days=rng.choice([-90, -35, -10, 25, 40, 55, 120, 240]))
        action = Action(
            assessment=a,
            requirement=requirement,
            owner=rng.choice(OWNERS),
            due_date=due,
            status=status,
            created_by=r.updated_by,
            gap=f"{level.label} against {requirement.ref}: " + r.narrative.split(".")[0] + ".",
            description="Close the gap, test the arrangements in an exercise and report to the PCC's "
            "accountability board.",
        )
        action._history_user = r.updated_by
        actions.append(action)
    bulk_create_audited(Action, actions)

    departures, departure_links = [], []
    for a, (force, period, _, _, rng) in zip(assessments, plans, strict=True):
        staff = people[force.code]["staff"]
        _, end = period_dates(period)
        for requirement in rng.sample(requirements, k=rng.randint(1, 2)):
            d = Departure(
                assessment=a,
                requirement=requirement,
                created_by=staff,
                departing_party=rng.choice([DepartingParty.CHIEF_CONSTABLE, DepartingParty.BOTH]),
                circumstances="A regional system the requirement relies on is being replaced during the period.",
                reasons="Duplicating the data in an interim system would create a greater security risk.",
                alternative_arrangements="Weekly manual exchange with the regional unit, checked by the force lead.",
                residual_risk="Moderate: a delay of up to a week in sharing lower-grade information.",
                review_date=end + dt.timedelta(days=rng.choice([-60, 90, 180])),
                status=DepartureStatus.LIVE if rng.random() < 0.8 else DepartureStatus.WITHDRAWN,
            )
            d._history_user = staff
            departures.append(d)
    bulk_create_audited(Departure, departures)
    dthrough = Departure.evidence.through
    for d in departures:
        item = evidence_by_assessment[id(d.assessment)][5]
        departure_links.append(dthrough(departure_id=d.id, evidence_id=item.id))
    dthrough.objects.bulk_create(departure_links)

    # Workflow: the transitions each assessment went through, and a challenge thread.
    first_weak: dict[int, Response] = {}
    for a, r, *_ in weak:
        first_weak.setdefault(id(a), r)
    transitions, challenges = [], []
    for a, (force, period, _, status, _) in zip(assessments, plans, strict=True):
        who = people[force.code]
        when = timeline(period, today)
        actor = {
            S.SUBMITTED: who["staff"],
            S.RESPONDED: who["chief"],
            S.SIGNED_OFF: who["pcc"],
            S.PUBLISHED: who["pcc"],
        }
        for step, target in enumerate(PATH[1 : PATH.index(status) + 1], start=1):
            t = Transition(
                assessment=a,
                action=ACTIONS[target],
                from_status=PATH[step - 1],
                to_status=target,
                actor=actor[target],
                at=when(10 * step),
            )
            t._history_user = actor[target]
            transitions.append(t)
        if status == S.DRAFT:
            continue
        subject = first_weak.get(id(a))
        challenge = Challenge(
            assessment=a,
            response=subject,
            raised_by=who["pcc"],
            text="How has this been tested, and what does the debrief say about the gaps?",
            status=ChallengeStatus.OPEN if status in (S.SUBMITTED, S.RESPONDED) else ChallengeStatus.CLOSED,
        )
        if challenge.status == ChallengeStatus.CLOSED:
            challenge.closed_by, challenge.closed_at = who["pcc"], when(25)
            challenge.closing_note = "Answered with evidence."
        challenge._history_user = who["pcc"]
        challenges.append(challenge)
    bulk_create_audited(Transition, transitions)
    bulk_create_audited(Challenge, challenges)
    replies = []
    for challenge in challenges:
        if challenge.status == ChallengeStatus.CLOSED:
            reply = ChallengeReply(
                challenge=challenge,
                author=people[challenge.assessment.force.code]["chief"],
                text="Tested in the regional exercise; the debrief is in the evidence library.",
            )
            reply._history_user = reply.author
            replies.append(reply)
    bulk_create_audited(ChallengeReply, replies)

    # Snapshots of the published ones, exactly as publication makes them.
    snapshots = []
    for a in assessments:
        if a.status == S.PUBLISHED:
            payload = snapshot_payload(a)
            snapshots.append(
                Snapshot(assessment=a, payload=payload, sha256=snapshot_sha256(payload), created_at=a.published_at)
            )
    Snapshot.objects.bulk_create(snapshots, batch_size=200)
