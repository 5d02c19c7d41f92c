"""Demo assessments for the three demo forces: last period's published, the period in progress today
partly done. Periods and dates are counted from today, so the demo never goes stale: evidence is
dated within its period, some actions are overdue and some due next month, and last period's
publication is dated in the past, not at the moment the seed ran.

Made through the same services as the pages, by the force's demo staff account, so the demo shows
exactly what a PCC office would produce. Deterministic (seeded by force code) and idempotent.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from assessments import services, workflow
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    AssessmentStatus,
    Challenge,
    Evidence,
    Snapshot,
    Transition,
)
from assessments.records import ResponseAnswer
from assessments.snapshots import snapshot_payload, snapshot_sha256
from core.periods import current_period, previous_period
from demo.national.common import day_in, timeline
from forces.models import Force
from threats.models import Edition

EDITION = "spr-2012"


def demo_years(today: dt.date | None = None) -> tuple[str, str]:
    """(last period, the period in progress today)."""
    this_year = current_period(today)
    return previous_period(this_year), this_year


EVIDENCE = [
    ("file", "Strategic threat and risk assessment", "Head of Intelligence", "text"),
    ("file", "Mutual aid test exercise report", "Operations Planning Unit", "pdf"),
    ("file", "Public order PSU availability return", "Public Order Lead", "csv"),
    ("link", "CONTEST local delivery plan", "Head of Special Branch", "https://intranet.example.police.uk/contest"),
    ("link", "Local resilience forum risk register", "Emergency Planning", "https://lrf.example.gov.uk/register"),
    ("reference", "Regional collaboration agreement (s22A)", "Chief of Staff", "COLLAB/2023/014"),
    ("reference", "Firearms strategic threat assessment", "Armed Policing Lead", "FSTRA/2024/02"),
]

NARRATIVES = {
    "assured": [
        "Tested in a regional exercise in {month}; the debrief found the arrangements effective. {ref} is owned by "
        "the {owner}, reviewed quarterly at the force's strategic operations board.",
        "The force meets this requirement through the {rocu} and its own specialist teams. Evidence of a live "
        "deployment in {month} is in the library.",
    ],
    "partially_assured": [
        "Arrangements are in place but the {month} exercise found gaps in out-of-hours cover. An action is open to "
        "train further staff; the PCC has asked for an update at the next accountability board.",
        "Capacity meets the national planning assumption on paper, but abstraction rates in {month} left the force "
        "short for 11 days. The {owner} is reviewing rostering.",
    ],
    "not_assured": [
        "The force cannot yet evidence this requirement. A review led by the {owner} reports in {month}; until then "
        "the PCC has recorded it as a risk in the police and crime plan.",
    ],
}
MONTHS = ["April", "June", "September", "November", "January", "March"]
ACTION_OWNERS = [
    "Assistant Chief Constable (Operations)",
    "Head of Public Order",
    "Emergency Planning Manager",
    "Head of Intelligence",
    "Armed Policing Lead",
    "Chief of Staff",
    "Head of Cyber Crime",
    "Director of Finance",
]
GAPS = [
    "Out-of-hours cover for {ref} depends on two trained officers.",
    "The {month} exercise found the call-out list for {ref} out of date.",
    "No tested plan for a second concurrent incident under {ref}.",
    "Regional mutual aid for {ref} has not been exercised this year.",
    "Training records for {ref} are held on paper and could not be checked.",
    "Abstraction left {ref} short for eleven days in {month}.",
    "The information-sharing agreement behind {ref} expired in {month}.",
    "Equipment for {ref} failed its annual inspection.",
    "The debrief from the {month} deployment under {ref} has not been written.",
    "Succession for the lead officer on {ref} is not planned.",
]
#: Days from today an open action falls due: some overdue, some next month, some later.
DUE_IN_DAYS = [-75, -20, 25, 40, 55, 130]


def _text_file(title: str, kind: str) -> SimpleUploadedFile:
    if kind == "csv":
        body = "capability,committed,available\npublic order PSU,6,5\nmounted section,2,2\n"
        return SimpleUploadedFile(f"{title}.csv", body.encode(), content_type="text/csv")
    if kind == "pdf":
        return SimpleUploadedFile(f"{title}.pdf", _tiny_pdf(title), content_type="application/pdf")
    body = f"{title}\n\nOFFICIAL-SENSITIVE\n\nSummary of findings for the demo.\n"
    return SimpleUploadedFile(f"{title}.txt", body.encode(), content_type="text/plain")


def _tiny_pdf(title: str) -> bytes:
    """A valid one-page PDF naming the document, without rendering machinery."""
    text = title.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _library(force: Force, user, last_year: str, this_year: str, rng: random.Random) -> list[Evidence]:
    """The force's evidence library: most items dated within last period, the rest within the
    period in progress (never after today); threat assessments are due for review after 90 days,
    so last period's is past its review date."""
    existing = {item.title: item for item in Evidence.objects.filter(force=force)}
    items = []
    for number, (kind, title, owner, detail) in enumerate(EVIDENCE):
        day = day_in(last_year if number < 4 else this_year, rng)
        if title in existing:
            items.append(existing[title])
            continue
        extra = {"upload": _text_file(title, detail)} if kind == "file" else {}
        if kind == "link":
            extra["url"] = detail
        if kind == "reference":
            extra["reference"] = detail
        items.append(
            services.evidence_create(
                user=user,
                force=force,
                kind=kind,
                title=title,
                owner=owner,
                evidence_date=day,
                review_by=day + dt.timedelta(days=90 if "threat" in title.lower() else 730),
                description=f"Held by the {owner}.",
                **extra,
            )
        )
    return items


def _fill(assessment: Assessment, user, library: list[Evidence], rng: random.Random, share: float) -> None:
    responses = list(assessment.responses.select_related("requirement"))
    for response in responses[: round(len(responses) * share)]:
        if response.version > 1:  # answered on an earlier pass
            continue
        judgement = rng.choices(["assured", "partially_assured", "not_assured"], weights=[6, 3, 1])[0]
        narrative = rng.choice(NARRATIVES[judgement]).format(
            month=rng.choice(MONTHS),
            ref=response.requirement.ref,
            owner=rng.choice(library).owner,
            rocu=assessment.force.rocu or "force's own serious organised crime teams",
        )
        services.response_update(
            user=user,
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(
                judgement=judgement,
                narrative=narrative,
                evidence_ids=tuple(item.id for item in rng.sample(library, k=rng.randint(1, 3))),
            ),
        )
        if judgement != "assured" and rng.random() < 0.5:
            _action(assessment, user, response.requirement, rng)
    requirement = responses[-1].requirement
    if not assessment.departures.exists():
        services.departure_save(
            user=user,
            assessment=assessment,
            requirement=requirement,
            departing_party="chief_constable",
            circumstances="Information sharing relies on a regional system that is being replaced.",
            reasons="Duplicating the data in an interim system would create a greater security risk.",
            alternative_arrangements="Weekly manual exchange with the regional intelligence unit.",
            residual_risk="Moderate: a delay of up to a week in sharing lower-grade intelligence.",
            review_date=dt.date(int(assessment.period[:4]) + 1, 3, 31),
            evidence_ids=[library[5].id],
        )


def _action(assessment: Assessment, user, requirement, rng: random.Random) -> None:
    """An action with its own gap, a named owner and a due date counted from today. It is recorded
    due in the future (as a person would) and an overdue one is then moved into the past, as time
    passing would have done."""
    today = timezone.localdate()
    due = today + dt.timedelta(days=rng.choice(DUE_IN_DAYS))
    action = services.action_save(
        user=user,
        assessment=assessment,
        requirement=requirement,
        gap=rng.choice(GAPS).format(ref=requirement.ref, month=rng.choice(MONTHS)),
        description="Close the gap, test the arrangements and report to the PCC's accountability board.",
        owner=rng.choice(ACTION_OWNERS),
        due_date=max(due, today + dt.timedelta(days=1)),
    )
    if due <= today:
        Action.objects.filter(pk=action.pk).update(due_date=due)


def _date_publication(assessment: Assessment) -> None:
    """Date last period's reporting round in the past (around the period's end, never after today)
    rather than at the moment the seed ran, and rebuild its snapshot to match, in the seed's own
    transaction (the snapshot is not yet seen by anyone). The audit trail keeps when the seed ran."""
    when = timeline(assessment.period)
    Assessment.objects.filter(pk=assessment.pk).update(
        chief_statement_at=when(20), signed_off_at=when(40), published_at=when(45)
    )
    for step, transition in enumerate(assessment.transitions.order_by("at", "id"), start=1):
        Transition.objects.filter(pk=transition.pk).update(at=when(min(45, 8 * step)))
    Challenge.objects.filter(assessment=assessment, closed_at__isnull=False).update(closed_at=when(18))
    dated = Assessment.objects.get(pk=assessment.pk)
    payload = snapshot_payload(dated)
    Snapshot.objects.filter(assessment=dated).update(
        payload=payload, sha256=snapshot_sha256(payload), created_at=when(45)
    )


#: Where each demo force's assessment for the period in progress is left, so every role has something to do.
THIS_YEAR_STATE = {
    "west-midlands": AssessmentStatus.RESPONDED,  # the PCC has an open challenge and a sign-off waiting
    "kent": AssessmentStatus.SUBMITTED,  # the chief constable has a challenge and a response to give
    "dyfed-powys": AssessmentStatus.DRAFT,  # the PCC office is still filling it in
    "essex": AssessmentStatus.DRAFT,  # cites evidence Kent shares under their unit's agreement (issue 17)
}


def _publish_last_year(assessment: Assessment, people: dict) -> None:
    """Carry last period's assessment through the whole chain, with a challenge raised, answered and closed."""
    workflow.assessment_submit(user=people["staff"], assessment=assessment, note="Ready for the chief constable.")
    response = assessment.responses.select_related("requirement").get(requirement__ref="5.1(e)")
    challenge = workflow.challenge_raise(
        user=people["pcc"],
        assessment=assessment,
        response=response,
        text="How many officers are trained for a CBRN response, and when were they last tested?",
    )
    workflow.challenge_reply(
        user=people["chief"],
        challenge=challenge,
        text="Forty-two officers are trained; the regional exercise in March tested them. The debrief is in the "
        "evidence library.",
    )
    workflow.challenge_close(user=people["pcc"], challenge=challenge, note="Answered with evidence.")
    workflow.assessment_respond(
        user=people["chief"],
        assessment=assessment,
        statement="The force has regard to the Strategic Policing Requirement and meets it, with the gaps and "
        "actions recorded here. Collaboration through the regional unit remains central to our contribution.",
    )
    workflow.assessment_sign_off(
        user=people["pcc"],
        assessment=assessment,
        statement="I am assured that the chief constable has had regard to the Strategic Policing Requirement. "
        "I will track the open actions at my quarterly accountability board.",
    )
    workflow.assessment_publish(user=people["pcc"], assessment=assessment, note="Published for HMIC.")
    _date_publication(assessment)


#: How many of the draft's requirements the demo assigns to its PCC office member (in document order).
OWNED_REQUIREMENTS = 4


def _assign_owners(assessment: Assessment, people: dict, force_admin) -> None:
    """Give the draft named owners, as a PCC office would share out the work, so every demo force
    person has something under "My tasks": the first requirements to the PCC office member, the next
    to the chief constable, and the open actions in turn to the chief constable and the PCC office."""
    responses = list(assessment.responses.select_related("requirement").order_by("requirement__position"))
    owners = [people["staff"]] * OWNED_REQUIREMENTS + [people["chief"]] * 2
    for response, owner in zip(responses, owners, strict=False):
        services.response_assign(user=people["staff"], response=response, owner=owner)
    takers = [people["chief"], people["staff"]] + ([force_admin] if force_admin else [])
    for number, action in enumerate(assessment.actions.filter(status__in=OPEN_ACTION_STATUSES).order_by("id")):
        services.action_save(
            user=people["staff"], assessment=assessment, action=action, owner_user=takers[number % len(takers)]
        )


def _advance_this_year(assessment: Assessment, people: dict, state: str, library, rng) -> None:
    if state == AssessmentStatus.DRAFT:
        return
    _fill(assessment, people["staff"], library, rng, share=1.0)
    workflow.assessment_submit(user=people["staff"], assessment=assessment, share_with_hmic=True)
    if state == AssessmentStatus.RESPONDED:
        workflow.assessment_respond(
            user=people["chief"],
            assessment=assessment,
            statement="Draft statement: we meet the SPR, with a gap in out-of-hours public order cover.",
        )
    response = assessment.responses.select_related("requirement").get(requirement__ref="3.2(c)")
    workflow.challenge_raise(
        user=people["pcc"],
        assessment=assessment,
        response=response,
        text="The narrative says public order cover fell short for 11 days. What is the plan, and by when?",
    )


@transaction.atomic
def demo_assessments_create(force_codes: tuple[str, ...]) -> int:
    """Create the demo forces' assessments if missing; returns how many were created."""
    edition = Edition.objects.get(code=EDITION)
    users = get_user_model().objects
    last_year, this_year = demo_years()
    created = 0
    for code in force_codes:
        force = Force.objects.get(code=code)
        people = {role: users.get(username=f"{role}-{code}") for role in ("staff", "chief", "pcc")}
        rng = random.Random(code)
        library = _library(force, people["staff"], last_year, this_year, rng)
        if not Assessment.objects.filter(force=force, edition=edition, period=last_year).exists():
            last = services.assessment_create(user=people["staff"], force=force, edition=edition, period=last_year)
            _fill(last, people["staff"], library, rng, share=1.0)
            _publish_last_year(last, people)
            created += 1
        if not Assessment.objects.filter(force=force, edition=edition, period=this_year).exists():
            this = services.assessment_create(
                user=people["staff"], force=force, edition=edition, period=this_year, start_from_previous=True
            )
            _fill(this, people["staff"], library, rng, share=0.3)
            _assign_owners(this, people, users.filter(username=f"force-admin-{code}").first())
            _advance_this_year(this, people, THIS_YEAR_STATE.get(code, AssessmentStatus.DRAFT), library, rng)
            created += 1
    return created
