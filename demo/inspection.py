"""The demo's HMIC workspace: a few evidence requests and findings for the demo forces, dated from
today, raised by the demo inspector through the services (so the audit trail has them too). Kent
answers one request and responds to one finding, linking an action of its own."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from assessments.models import Action, Evidence
from capabilities.models import Requirement
from forces.models import Force
from inspection import services
from inspection.models import EvidenceRequest, Finding
from threats.models import Edition

EDITION = "spr-2012"

#: (force, requirement refs, what is asked, due in days)
REQUESTS = [
    (
        "kent",
        ["4.1(a)", "4.1(c)"],
        "Please send evidence of how you run complex and cyber investigations across force boundaries with "
        "the regional organised crime unit, including the latest joint operation review.",
        21,
    ),
    (
        "west-midlands",
        ["5.1(a)"],
        "Please send evidence that your public order units are trained and equipped to the national standards.",
        10,
    ),
    (
        "dyfed-powys",
        ["6.1"],
        "Please send your plan for connecting to the national response to a large-scale cyber incident.",
        30,
    ),
]

#: (force, requirement ref or None, kind, text, days ago)
FINDINGS = [
    (
        "kent",
        "4.1(c)",
        "area-for-improvement",
        "The force should make sure it has enough trained investigators to run two complex cyber "
        "investigations at once across force boundaries.",
        20,
    ),
    (
        "kent",
        None,
        "good-practice",
        "The force's joint exercising with its regional organised crime unit is well planned and well recorded.",
        20,
    ),
    (
        "west-midlands",
        "5.1(a)",
        "recommendation",
        "The force should test its mobilisation of police support units against the national timings every year.",
        35,
    ),
    (
        "dyfed-powys",
        "6.1",
        "cause-of-concern",
        "The force cannot yet show how it would connect to a national response to a large-scale cyber incident.",
        12,
    ),
]


def _requirement(edition: Edition, ref: str) -> Requirement:
    return (
        Requirement.objects.filter(edition=edition, ref=ref).first()
        or Requirement.objects.filter(edition=edition).order_by("position").first()
    )


@transaction.atomic
def demo_inspection_create(period: str) -> int:
    """Create the demo's requests and findings if none exist yet; returns how many were created."""
    if EvidenceRequest.objects.exists() or Finding.objects.exists():
        return 0
    users = get_user_model().objects
    inspector = users.get(username="inspector")
    edition = Edition.objects.get(code=EDITION)
    today = timezone.localdate()
    forces = {f.code: f for f in Force.objects.filter(code__in={row[0] for row in REQUESTS + FINDINGS})}
    created = 0
    requests = {}
    for code, refs, text, days in REQUESTS:
        requests[code] = services.evidence_request_create(
            user=inspector,
            force=forces[code],
            requirements=[_requirement(edition, ref) for ref in refs],
            text=text,
            due_date=today + dt.timedelta(days=days),
        )
        created += 1
    findings = []
    for code, ref, kind, text, days in FINDINGS:
        findings.append(
            services.finding_create(
                user=inspector,
                force=forces[code],
                requirement=_requirement(edition, ref) if ref else None,
                kind=kind,
                text=text,
                period=period,
                found_on=today - dt.timedelta(days=days),
            )
        )
        created += 1
    kent_staff = users.get(username="staff-kent")
    evidence = list(Evidence.objects.filter(force=forces["kent"]).order_by("title")[:2])
    services.evidence_request_answer(
        user=kent_staff,
        evidence_request=requests["kent"],
        evidence_ids=[item.id for item in evidence],
        note="Our joint operation review and the investigators' training records are attached.",
    )
    action = Action.objects.filter(assessment__force=forces["kent"], assessment__period=period).first()
    services.finding_respond(
        user=kent_staff,
        finding=findings[0],
        response="We are training four more cyber investigators this year, with the regional unit.",
        action_ids=[action.id] if action else [],
    )
    return created
