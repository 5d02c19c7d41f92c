"""The frozen form of a published assessment: every response, evidence item's metadata and SHA-256,
departure, action, challenge with its thread, the statements, sign-off and transitions.

The payload is plain JSON; its SHA-256 is taken over the canonical encoding (sorted keys, no
whitespace), so anyone holding the payload can recompute the hash and prove nothing changed.
"""

from __future__ import annotations

import hashlib

from django.db.models import Prefetch

from assessments.models import Assessment, ChallengeReply, Evidence
from core.audit import canonical

SCHEMA_VERSION = 1


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _who(user) -> str | None:
    return user.get_username() if user else None


def snapshot_payload(assessment: Assessment) -> dict:
    """Everything a report or an inspector needs, read in a fixed number of queries."""
    assessment = (
        Assessment.objects.select_related(
            "force", "force__region", "edition", "chief_statement_by", "signed_off_by", "published_by"
        )
        .prefetch_related("force__policing_bodies")
        .get(pk=assessment.pk)
    )
    body = assessment.force.current_policing_body
    responses = list(
        assessment.responses.select_related("requirement", "judgement", "updated_by")
        .prefetch_related(
            "requirement__areas", "requirement__threats", Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
        )
        .order_by("requirement__position")
    )
    evidence: dict[int, Evidence] = {}
    for response in responses:
        for item in response.evidence.all():
            evidence[item.id] = item
    departures = list(assessment.departures.select_related("requirement").prefetch_related("evidence").order_by("id"))
    for departure in departures:
        for item in departure.evidence.all():
            evidence[item.id] = item
    challenges = list(
        assessment.challenges.select_related("response__requirement", "raised_by", "closed_by")
        .prefetch_related(Prefetch("replies", queryset=ChallengeReply.objects.select_related("author").order_by("id")))
        .order_by("id")
    )
    return {
        "schema": SCHEMA_VERSION,
        "assessment": {
            "id": assessment.id,
            "force": {
                "code": assessment.force.code,
                "name": assessment.force.name,
                "region": assessment.force.region.name,
            },
            "policing_body": {"name": body.name, "type": body.body_type} if body else None,
            "edition": {"code": assessment.edition.code, "title": assessment.edition.title},
            "period": assessment.period,
            "revision": assessment.revision,
            "status": assessment.status,
            "chief_statement": assessment.chief_statement,
            "chief_statement_by": _who(assessment.chief_statement_by),
            "chief_statement_at": _when(assessment.chief_statement_at),
            "assurance_statement": assessment.assurance_statement,
            "signed_off_by": _who(assessment.signed_off_by),
            "signed_off_at": _when(assessment.signed_off_at),
            "published_by": _who(assessment.published_by),
            "published_at": _when(assessment.published_at),
        },
        "responses": [
            {
                "ref": r.requirement.ref,
                "paragraph": r.requirement.paragraph,
                "section": r.requirement.section,
                "group_heading": r.requirement.group_heading,
                "text": r.requirement.text,
                "areas": [area.code for area in r.requirement.areas.all()],
                "threats": [threat.code for threat in r.requirement.threats.all()],
                "judgement": r.judgement.code,
                "judgement_label": r.judgement.label,
                "narrative": r.narrative,
                "evidence": [item.id for item in r.evidence.all()],
                "version": r.version,
                "updated_by": _who(r.updated_by),
                "updated_at": _when(r.updated_at),
            }
            for r in responses
        ],
        "evidence": [
            {
                "id": item.id,
                "kind": item.kind,
                "title": item.title,
                "description": item.description,
                "owner": item.owner,
                "evidence_date": _when(item.evidence_date),
                "review_by": _when(item.review_by),
                "protective_marking": item.protective_marking,
                "original_name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "url": item.url,
                "reference": item.reference,
            }
            for item in sorted(evidence.values(), key=lambda item: item.id)
        ],
        "departures": [
            {
                "requirement": d.requirement.ref,
                "departing_party": d.departing_party,
                "circumstances": d.circumstances,
                "reasons": d.reasons,
                "alternative_arrangements": d.alternative_arrangements,
                "residual_risk": d.residual_risk,
                "review_date": _when(d.review_date),
                "status": d.status,
                "evidence": [item.id for item in d.evidence.all()],
            }
            for d in departures
        ],
        "actions": [
            {
                "requirement": a.requirement.ref,
                "gap": a.gap,
                "description": a.description,
                "owner": a.owner,
                "due_date": _when(a.due_date),
                "status": a.status,
            }
            for a in assessment.actions.select_related("requirement").order_by("due_date", "id")
        ],
        "challenges": [
            {
                "requirement": c.response.requirement.ref if c.response_id else None,
                "text": c.text,
                "status": c.status,
                "raised_by": _who(c.raised_by),
                "raised_at": _when(c.created_at),
                "closed_by": _who(c.closed_by),
                "closed_at": _when(c.closed_at),
                "closing_note": c.closing_note,
                "replies": [
                    {"author": _who(reply.author), "text": reply.text, "at": _when(reply.created_at)}
                    for reply in c.replies.all()
                ],
            }
            for c in challenges
        ],
        "transitions": [
            {
                "action": t.action,
                "from": t.from_status,
                "to": t.to_status,
                "by": _who(t.actor),
                "at": _when(t.at),
                "note": t.note,
            }
            for t in assessment.transitions.select_related("actor").order_by("at", "id")
        ],
    }


def snapshot_sha256(payload: dict) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()
