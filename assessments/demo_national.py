"""National-scale demo data (`manage.py seed_demo --scale national`): all 46 forces, several periods.

Every force gets demo accounts (`staff-<code>`, `chief-<code>`, `pcc-<code>`, password as for the
other demo accounts) and, per period, an assessment with every requirement answered (narratives of
400-1,500 characters), ~25 evidence items linked to the responses (links and references, and a few
small files), departures, actions (some overdue), challenges, workflow transitions and capacity
figures. Earlier periods are published with their snapshots; the latest period is spread over the
workflow (draft, submitted and shared with HMIC, responded, signed off, published).

It is written with bulk inserts, not service calls, so 5,000+ responses take seconds: models with
django-simple-history get their history through `bulk_create_with_history`, and the audit trail its
entries through `core.audit.audit_bulk_written` (or `audit_record` for models without history),
so `manage.py verify_audit` still passes. Deterministic (seeded per force and period) and idempotent:
an assessment that exists for a force, edition and period is left alone, with everything around it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from assessments.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    ChallengeStatus,
    DepartingParty,
    Departure,
    DepartureStatus,
    Evidence,
    EvidenceKind,
    Response,
    Snapshot,
    Transition,
)
from assessments.snapshots import snapshot_payload, snapshot_sha256
from capabilities.models import CapacityCapability, CapacityCommitment
from capabilities.services import capacity_capabilities_load
from core.audit import audit_bulk_written, audit_record
from core.models import AuditEntry
from core.roles import Role, ensure_groups
from forces.models import Force, Membership
from threats.models import Edition, JudgementLevel

EDITION = "spr-2012"
PERIODS = ("2023/24", "2024/25", "2025/26")
EVIDENCE_PER_PERIOD = 25
FILES_PER_FORCE = 2
S = AssessmentStatus

ACCOUNTS = (
    (Role.PCC_STAFF, "staff", "PCC office"),
    (Role.CHIEF_CONSTABLE, "chief", "Chief constable"),
    (Role.PCC, "pcc", "Commissioner"),
)

SENTENCES = [
    "The force's strategic threat and risk assessment, refreshed in {month}, names this requirement as a priority "
    "and sets out how the {owner} keeps it under review.",
    "A regional exercise in {month} tested the arrangements with neighbouring forces; the debrief found them "
    "effective and recorded two learning points, both now closed.",
    "Capacity is reviewed quarterly at the strategic operations board chaired by the Deputy Chief Constable, "
    "with abstraction rates reported against the national planning assumption.",
    "The {rocu} provides specialist capability that the force does not hold itself, under a collaboration "
    "agreement made under section 22A of the Police Act 1996.",
    "Mutual aid requests in {month} were met within the notice period agreed through the National Police "
    "Coordination Centre, and officers deployed with the right equipment and accreditation.",
    "The PCC's accountability board examined this area in {month} and asked for further evidence on out-of-hours "
    "cover, which the chief constable provided at the following meeting.",
    "Training records show that {percent}% of the officers required for this role are in date; the remainder are "
    "booked on courses before the end of the year.",
    "Intelligence sharing with the regional unit and partner agencies runs through agreed protocols, audited in "
    "{month} with no significant findings.",
    "The local resilience forum's risk register and the force's own plans were aligned in {month}, and the "
    "command structure was tested in a live-play exercise.",
    "Gaps identified in last year's assessment have been addressed: the action plan owned by the {owner} was "
    "completed in {month} and its outcomes are in the evidence library.",
    "Demand analysis suggests the force can sustain the response for the first 72 hours before needing mutual "
    "aid, which is consistent with the planning assumptions.",
    "Equipment is procured through national frameworks so that it is interoperable with other forces, as the "
    "consistency requirement expects.",
    "The force took part in the national cyber exercise in {month}; the regional cyber crime unit led the "
    "response and the force's digital forensics staff supported it.",
    "Public order commanders at gold, silver and bronze level are accredited, and the force keeps a rota so that "
    "a trained commander is always available.",
    "Arrangements are documented in the force's business continuity plan, last reviewed by the {owner} in {month}.",
    "An internal audit in {month} checked a sample of deployments against this requirement and found the "
    "recording of decisions to be good, with minor improvements suggested.",
]
MONTHS = ["April", "May", "June", "July", "September", "October", "November", "January", "February", "March"]
OWNERS = [
    "Head of Special Branch",
    "Operations Planning Unit",
    "Public Order Lead",
    "Emergency Planning Manager",
    "Head of Intelligence",
    "Armed Policing Lead",
    "Chief of Staff",
    "Head of Cyber Crime",
]
TOPICS = [
    "Strategic threat and risk assessment",
    "Mutual aid test report",
    "PSU availability return",
    "CONTEST delivery plan",
    "Local resilience forum risk register",
    "Collaboration agreement (s22A)",
    "Firearms strategic threat assessment",
    "CBRN training register",
    "Cyber incident response plan",
    "Public order command rota",
    "Business continuity plan",
    "Exercise debrief",
    "Regional organised crime unit performance report",
    "Accountability board minutes",
    "Internal audit report",
    "Equipment interoperability review",
    "Surveillance capability review",
    "Disaster victim identification plan",
    "Counter-terrorism local profile",
    "Mobilisation plan",
    "Training needs analysis",
    "Intelligence sharing protocol",
    "Force management statement",
    "Demand and capacity analysis",
    "Negotiator cadre review",
]


@dataclass
class SeedResult:
    assessments: int = 0
    responses: int = 0
    evidence: int = 0
    commitments: int = 0
    users: int = 0


def _rng(*parts) -> random.Random:
    return random.Random(":".join(str(part) for part in parts))  # noqa: S311 — repeatable demo data


def _period_dates(period: str) -> tuple[dt.date, dt.date]:
    start = int(period[:4])
    return dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _moment(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def narrative(rng: random.Random, force: Force) -> str:
    """400 to 1,500 characters of plausible prose, whole sentences only."""
    target = rng.randint(400, 1500)
    sentences = rng.sample(SENTENCES, k=len(SENTENCES))
    text = ""
    for sentence in sentences:
        nxt = sentence.format(
            month=rng.choice(MONTHS),
            owner=rng.choice(OWNERS),
            rocu=force.rocu or "force's own serious organised crime team",
            percent=rng.randint(82, 99),
        )
        candidate = f"{text} {nxt}".strip()
        if len(candidate) > 1500:
            break
        text = candidate
        if len(text) >= target:
            break
    return text


def _status_for(rng: random.Random, index: int, count: int) -> str:
    """Earlier periods are published; the one before the latest mostly; the latest is spread out."""
    if index < count - 2:
        return S.PUBLISHED
    roll = rng.random()
    if index == count - 2:
        return S.PUBLISHED if roll < 0.85 else S.SIGNED_OFF if roll < 0.95 else S.RESPONDED
    for status, upper in ((S.DRAFT, 0.25), (S.SUBMITTED, 0.55), (S.RESPONDED, 0.8), (S.SIGNED_OFF, 0.9)):
        if roll < upper:
            return status
    return S.PUBLISHED


PATH = [S.DRAFT, S.SUBMITTED, S.RESPONDED, S.SIGNED_OFF, S.PUBLISHED]
ACTIONS = {S.SUBMITTED: "submit", S.RESPONDED: "respond", S.SIGNED_OFF: "sign_off", S.PUBLISHED: "publish"}


def _create(model, objects: list) -> list:
    """Bulk insert with history (each object's `_history_user`) and audit entries."""
    if not objects:
        return []
    created = bulk_create_with_history(objects, model, batch_size=1000)
    audit_bulk_written(model, created)
    return created


def _people(forces: list[Force]) -> tuple[dict, int]:
    """staff/chief/pcc demo accounts for every force (one password hash for them all: hashing 138
    passwords would take longer than the rest of the seed)."""
    groups = ensure_groups()
    User = get_user_model()
    wanted = {f"{prefix}-{force.code}": (force, role, label) for force in forces for role, prefix, label in ACCOUNTS}
    existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    password = make_password(settings.SPR_DEMO_PASSWORD)
    new = [
        User(
            username=name, password=password, first_name=label, last_name=force.name, email=f"{name}@example.police.uk"
        )
        for name, (force, _, label) in wanted.items()
        if name not in existing
    ]
    if new:
        User.objects.bulk_create(new)
        existing = {user.username: user for user in User.objects.filter(username__in=wanted)}
    Membership.objects.bulk_create(
        [Membership(user=existing[name], force=force) for name, (force, _, _) in wanted.items()],
        ignore_conflicts=True,
    )
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=existing[name].id, group_id=groups[role].id) for name, (_, role, _) in wanted.items()],
        ignore_conflicts=True,
    )
    people = {force.code: {prefix: existing[f"{prefix}-{force.code}"] for _, prefix, _ in ACCOUNTS} for force in forces}
    return people, len(new)


def _evidence(force: Force, period: str, user, rng: random.Random, with_files: bool) -> list[Evidence]:
    start, end = _period_dates(period)
    items = []
    for number, topic in enumerate(TOPICS[:EVIDENCE_PER_PERIOD]):
        day = start + dt.timedelta(days=rng.randint(0, 300))
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
            item.file.save("upload", ContentFile(body), save=False)
        elif number % 2:
            item.kind = EvidenceKind.LINK
            item.url = f"https://intranet.example.police.uk/{force.code}/{period[:4]}/{number}"
        else:
            item.kind = EvidenceKind.REFERENCE
            item.reference = f"{force.code.upper()[:4]}/{period[:4]}/{number:03d}"
        item._history_user = user
        items.append(item)
    return items


@transaction.atomic
def national_seed(*, periods: tuple[str, ...] = PERIODS, edition_code: str = EDITION) -> SeedResult:
    """Fill every force with assessments for `periods` (oldest first). Returns what was created."""
    result = SeedResult()
    capacity_capabilities_load()
    edition = Edition.objects.get(code=edition_code)
    forces = list(Force.objects.order_by("code"))
    people, result.users = _people(forces)
    requirements = list(edition.requirements.order_by("position"))
    levels = {level.code: level for level in JudgementLevel.objects.filter(edition=edition)}
    scored = sorted((lv for lv in levels.values() if lv.score is not None), key=lambda lv: -lv.score)
    best, middle, worst = scored[0], scored[len(scored) // 2], scored[-1]
    existing = set(Assessment.objects.filter(edition=edition).values_list("force_id", "period"))
    periods = tuple(sorted(periods))

    plans = []  # (force, period, index, status, rng)
    for force in forces:
        for index, period in enumerate(periods):
            if (force.id, period) in existing:
                continue
            rng = _rng(force.code, period)
            plans.append((force, period, index, _status_for(rng, index, len(periods)), rng))
    if plans:
        _seed_assessments(plans, edition, people, requirements, (best, middle, worst), result, periods)
    result.commitments = _seed_capacity(forces, periods, people)
    return result


def _seed_assessments(plans, edition, people, requirements, scale, result: SeedResult, periods) -> None:
    best, middle, worst = scale
    first_period_of = {}
    for force, period, _, _, _ in plans:
        first_period_of.setdefault(force.id, period)

    # Assessments, in their final state; the transitions below record how they got there.
    assessments = []
    for force, period, _, status, rng in plans:
        who = people[force.code]
        _, end = _period_dates(period)
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
            a.chief_statement_by, a.chief_statement_at = who["chief"], _moment(end + dt.timedelta(days=20))
        if reached >= PATH.index(S.SIGNED_OFF):
            a.assurance_statement = (
                "I am assured that the chief constable has had regard to the SPR; I will track "
                "the open actions at my accountability board."
            )
            a.signed_off_by, a.signed_off_at = who["pcc"], _moment(end + dt.timedelta(days=40))
        if status == S.PUBLISHED:
            a.published_by, a.published_at = who["pcc"], _moment(end + dt.timedelta(days=45))
        a._history_user = who["staff"]
        assessments.append(a)
    assessments = _create(Assessment, assessments)
    result.assessments = len(assessments)

    # Evidence: ~25 items per force and period, a couple of small files in each force's first period.
    evidence_by_assessment: dict[int, list[Evidence]] = {}
    all_evidence = []
    for a, (force, period, _, _, rng) in zip(assessments, plans, strict=True):
        items = _evidence(force, period, people[force.code]["staff"], rng, first_period_of[force.id] == period)
        evidence_by_assessment[id(a)] = items
        all_evidence.extend(items)
    _create(Evidence, all_evidence)
    result.evidence = len(all_evidence)

    # Responses: every requirement answered; each force has its own strength, improving over time.
    responses, links, weak = [], [], []
    for a, (force, _, index, _, rng) in zip(assessments, plans, strict=True):
        staff = people[force.code]["staff"]
        strength = _rng(force.code).uniform(0.45, 0.8) + 0.04 * index
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
    _create(Response, responses)
    result.responses = len(responses)
    through = Response.evidence.through
    for r in responses:
        rng = _rng(r.assessment_id, r.requirement_id)
        for item in rng.sample(evidence_by_assessment[id(r.assessment)], k=rng.randint(1, 3)):
            links.append(through(response_id=r.id, evidence_id=item.id))
    through.objects.bulk_create(links, batch_size=2000)

    # Actions on about half the gaps (some overdue), and one or two departures per assessment.
    actions = []
    for a, r, requirement, rng, level in weak:
        if rng.random() >= 0.5:
            continue
        _, end = _period_dates(a.period)
        due = end + dt.timedelta(days=rng.choice([-120, -30, 60, 150, 300]))
        status = rng.choice([ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.IN_PROGRESS, ActionStatus.DONE])
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
    _create(Action, actions)

    departures, departure_links = [], []
    for a, (force, period, _, _, rng) in zip(assessments, plans, strict=True):
        staff = people[force.code]["staff"]
        _, end = _period_dates(period)
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
    _create(Departure, departures)
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
        _, end = _period_dates(period)
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
                at=_moment(end + dt.timedelta(days=10 * step)),
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
            challenge.closed_by, challenge.closed_at = who["pcc"], _moment(end + dt.timedelta(days=25))
            challenge.closing_note = "Answered with evidence."
        challenge._history_user = who["pcc"]
        challenges.append(challenge)
    _create(Transition, transitions)
    _create(Challenge, challenges)
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
    _create(ChallengeReply, replies)

    # Snapshots of the published ones, exactly as publication makes them.
    snapshots = []
    for a in assessments:
        if a.status == S.PUBLISHED:
            payload = snapshot_payload(a)
            snapshots.append(
                Snapshot(assessment=a, payload=payload, sha256=snapshot_sha256(payload), created_at=a.published_at)
            )
    Snapshot.objects.bulk_create(snapshots, batch_size=200)


def _seed_capacity(forces: list[Force], periods: tuple[str, ...], people) -> int:
    """Each force's committed and available figures per capability and period (missing rows only)."""
    capabilities = list(CapacityCapability.objects.order_by("position"))
    have = set(CapacityCommitment.objects.filter(period__in=periods).values_list("force_id", "capability_id", "period"))
    rows = []
    for force in forces:
        size = _rng("size", force.code).uniform(0.5, 1.8)
        for period in periods:
            _, end = _period_dates(period)
            for capability in capabilities:
                if (force.id, capability.id, period) in have:
                    continue
                rng = _rng(force.code, capability.code, period)
                committed = max(
                    0, round(capability.national_planning_assumption / len(forces) * size * rng.uniform(0.8, 1.15))
                )
                rows.append(
                    CapacityCommitment(
                        force=force,
                        capability=capability,
                        period=period,
                        committed=committed,
                        available=max(0, committed - rng.choice([0, 0, 0, 1, 2])),
                        notice_period_hours=rng.choice([1, 2, 4, 8, 24]),
                        as_of=end - dt.timedelta(days=rng.randint(0, 60)),
                    )
                )
    CapacityCommitment.objects.bulk_create(rows, batch_size=1000)
    for row in rows:
        audit_record(
            actor=people[row.force.code]["staff"],
            action=AuditEntry.Action.CREATED,
            instance=row,
            changes={
                "capability": [None, row.capability.code],
                "period": [None, row.period],
                "committed": [None, row.committed],
                "available": [None, row.available],
                "notice_period_hours": [None, row.notice_period_hours],
                "as_of": [None, row.as_of],
            },
        )
    return len(rows)


def demo_capacity_seed(force_codes: tuple[str, ...], periods: tuple[str, ...]) -> int:
    """Capacity capabilities and the demo forces' figures, for the default demo (idempotent)."""
    capacity_capabilities_load()
    forces = list(Force.objects.filter(code__in=force_codes).order_by("name"))
    User = get_user_model()
    people = {force.code: {"staff": User.objects.get(username=f"staff-{force.code}")} for force in forces}
    return _seed_capacity(forces, periods, people)
