"""The PCC accountability report's context, from the records of a published assessment's snapshot (of
whatever schema it was stored in) or of the live rows."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from assessments.matrix import CELL_RULE
from assessments.models import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    ChallengeStatus,
    DepartingParty,
    DepartureStatus,
    EvidenceKind,
    Snapshot,
)
from assessments.records import (
    SCHEMA_VERSION,
    ActionRecord,
    AssessmentContent,
    ChallengeRecord,
    DepartureRecord,
    EvidenceRecord,
    Person,
    assessment_content,
    payload_of,
)
from assessments.selectors import new_requirements_of
from assessments.snapshots import snapshot_content, snapshot_sha256
from capabilities.models import Requirement
from collaboration.models import AgreementParty
from collaboration.selectors import agreements_of_force
from core.checkpoints import audit_checkpoint
from forces.models import BodyType
from inspection.selectors import report_inspection
from reports.context.common import (
    ACCOUNTABILITY_TEMPLATE,
    TEMPLATE_VERSION,
    Axes,
    Prepared,
    choice_label,
    govuk_date_text,
    payload_sha256,
    safe_colour,
)
from reports.context.summary import Previous, as_of_date, executive_summary, previous_published
from threats.models import Edition

# --- PCC accountability report ---------------------------------------------------------------------


def _accountability_source(assessment: Assessment) -> tuple[AssessmentContent | None, str]:
    """(content, the SHA-256 of its payload). For a published assessment the content is None until it
    is needed: the stored hash already says what the report will show."""
    if assessment.status == AssessmentStatus.PUBLISHED:
        try:
            return None, assessment.snapshot.sha256
        except Snapshot.DoesNotExist:  # published before snapshots existed: fall back to the live rows
            pass
    content = assessment_content(assessment)
    return content, snapshot_sha256(payload_of(content))


def _accountability_hash(
    content_sha256: str,
    *,
    frozen: bool,
    previous: Previous | None,
    agreements: list[dict],
    inspection: dict | None = None,
) -> str:
    return payload_sha256(
        {
            # The force's collaboration agreements are live records, not part of the snapshot.
            "agreements": agreements,
            "kind": "accountability",
            "template": TEMPLATE_VERSION,
            # What the report reads a stored snapshot as: an older snapshot is upgraded to this shape.
            "schema": SCHEMA_VERSION,
            "marking": settings.SPR_PROTECTIVE_MARKING,
            "content": content_sha256,
            # The change since last year reads the previous period's published snapshot.
            "previous": previous.sha256 if previous else None,
            # An unpublished report counts overdue actions as at the day it is built (a published one
            # as at its publication, which its snapshot already fixes).
            "as_of": None if frozen else timezone.localdate().isoformat(),
            # HMIC's requests and findings are live rows, not part of the snapshot: a new finding or
            # answer is a new report.
            "inspection": payload_sha256(inspection) if inspection else None,
        }
    )


def accountability_input_hash(assessment: Assessment) -> str:
    """For a published assessment: its Snapshot.sha256, the previous period's published snapshot's,
    the kind and the template version (two queries)."""
    content, content_sha256 = _accountability_source(assessment)
    return _accountability_hash(
        content_sha256,
        frozen=content is None,
        previous=previous_published(assessment),
        inspection=_inspection(assessment),
        agreements=agreements_context(assessment.force_id),
    )


def _inspection(assessment: Assessment) -> dict | None:
    """The force's HMIC requests and findings for the period (None when there are none, so a report
    with none keeps the hash it had before the workspace existed)."""
    found = report_inspection(force_id=assessment.force_id, period=assessment.period)
    return found if found["requests"] or found["findings"] else None


#: Each workflow step as the record of a report says it (never the internal action code).
STEP_WORDS = {
    "submit": gettext_lazy("Submitted to the chief constable"),
    "return": gettext_lazy("Returned for changes"),
    "respond": gettext_lazy("The chief constable responded"),
    "sign_off": gettext_lazy("Signed off by the PCC"),
    "publish": gettext_lazy("Published to HMICFRS"),
    "revise": gettext_lazy("Revision started"),
}


def _capacity_context(content: AssessmentContent) -> dict:
    """The force's capacity against what it was expected to contribute, the national coverage when
    the content was read, and whether any figure is illustrative. `capacity` None: the snapshot
    (schema 1) did not record capacity."""
    lines = content.capacity
    coverage = content.capacity_coverage
    return {
        "capacity_recorded": lines is not None,
        "capacity_lines": [
            {
                "name": line.capability_name,
                "unit": line.unit,
                "expected": line.expected,
                "committed": line.committed,
                "available": line.available,
                "shortfall": line.shortfall,
                "reported": line.reported,
                "illustrative": line.illustrative,
            }
            for line in lines or ()
        ],
        "capacity_coverage": coverage.text if coverage else None,
        "capacity_complete": bool(coverage and coverage.complete),
        "capacity_illustrative": any(line.illustrative for line in lines or ()),
    }


def agreements_context(force_id: int) -> list[dict]:
    """The force's collaboration agreements as the report lists them (plain values, so they also
    go into the input hash): title, basis, lead force, parties and whether each has confirmed, the
    requirements delivered, dates and whether the review is overdue. Three queries."""
    rows = (
        agreements_of_force(force_id)
        .select_related("lead_force")
        .prefetch_related(
            Prefetch("parties", queryset=AgreementParty.objects.select_related("force").order_by("force__name")),
            Prefetch("requirements", queryset=Requirement.objects.order_by("position")),
        )
        .order_by("title", "id")
    )
    return [
        {
            "title": agreement.title,
            "basis": str(agreement.basis_label),
            "lead_force": agreement.lead_force.name,
            "parties": [
                {"force": party.force.name, "confirmed": party.is_confirmed} for party in agreement.parties.all()
            ],
            "requirements": [requirement.ref for requirement in agreement.requirements.all()],
            "start_date": govuk_date_text(agreement.start_date),
            "review_date": govuk_date_text(agreement.review_date) if agreement.review_date else "",
            "review_overdue": agreement.is_review_overdue,
        }
        for agreement in rows
    ]


def _who(person: Person | None) -> str:
    """How the report names a person: "Name, job title" (the name alone, or the username, where the
    record has no more)."""
    return person.label if person else ""


def stem_of(lead_in: str) -> str:
    """The sentence a bulleted requirement completes ("… must satisfy themselves that they:"): the
    lead-in's last sentence, with an ellipsis where earlier sentences are left out."""
    lead_in = " ".join((lead_in or "").split())
    if not lead_in:
        return ""
    sentences = lead_in.split(". ")
    return lead_in if len(sentences) == 1 else "… " + sentences[-1]


def accountability_prepare(assessment: Assessment) -> Prepared:
    content, content_sha256 = _accountability_source(assessment)
    frozen = content is None
    if frozen:
        content = snapshot_content(assessment.snapshot)
    a = content.assessment
    edition = Edition.objects.get(code=a.edition.code)
    axes = Axes.of(edition)
    evidence = content.evidence_by_id()
    wording = content.requirements_by_ref()
    # The records keep each requirement's own words, not the paragraph's lead-in it completes; an
    # edition's wording never changes once loaded, so the catalogue supplies the stem.
    lead_ins = dict(Requirement.objects.filter(edition=edition).values_list("ref", "lead_in"))
    previous = previous_published(assessment)
    inspection = _inspection(assessment)
    agreements = agreements_context(assessment.force_id)
    # The first period under an edition that follows another: which requirements are new in it.
    new = new_requirements_of(assessment=assessment)
    new_requirements = [{"ref": r.ref, "text": r.text} for r in new]
    by_ref: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for departure in content.departures:
        by_ref[departure.requirement]["departures"].append(_departure(departure, evidence))
    for action in content.actions:
        by_ref[action.requirement]["actions"].append(_action(action))
    general_challenges = []
    for challenge in content.challenges:
        if challenge.requirement:
            by_ref[challenge.requirement]["challenges"].append(_challenge(challenge))
        else:
            general_challenges.append(_challenge(challenge))
    levels = axes.levels
    colours = {level.code: level.colour for level in levels}
    counts = Counter(r.judgement for r in content.responses)
    requirements = []
    for index, r in enumerate(content.responses, start=1):
        requirement = wording[r.ref]
        requirements.append(
            {
                "anchor": f"req-{index}",
                # The record itself, for a field the report shows as it is (frozen, plain values).
                "response": r,
                "ref": r.ref,
                "paragraph": r.paragraph,
                "section": requirement.section,
                "stem": stem_of(lead_ins.get(r.ref, "")),
                "group_heading": requirement.group_heading,
                "text": requirement.text,
                "judgement": r.judgement_label,
                "colour": safe_colour(colours.get(r.judgement)),
                "narrative": r.narrative,
                "evidence": [_evidence(evidence[i]) for i in r.evidence if i in evidence],
                **{key: by_ref[r.ref][key] for key in ("departures", "actions", "challenges")},
            }
        )
    body = a.policing_body
    sign_off = a.sign_off
    title = f"PCC accountability report: {a.force.name}, {a.period}"
    if a.status != AssessmentStatus.PUBLISHED:
        title = f"{title} (DRAFT, not published)"
    context = {
        "title": title,
        "marking": settings.SPR_PROTECTIVE_MARKING,
        "force": a.force.name,
        "region": a.force.region,
        "policing_body": body.name if body else "No policing body recorded",
        "policing_body_type": choice_label(BodyType, body.type) if body else "",
        "edition": a.edition.title,
        "edition_code": a.edition.code,
        # The edition the force last answered (two back when it skipped one), not always the one followed.
        "edition_follows": f"{new.since.title} ({new.since.published_on:%B %Y})" if new_requirements else "",
        "new_requirements": new_requirements,
        "period": a.period,
        "revision": a.revision,
        "status": choice_label(AssessmentStatus, a.status),
        "frozen": frozen,
        # Anything but a published assessment's report says DRAFT on every page.
        "draft": a.status != AssessmentStatus.PUBLISHED,
        "summary": executive_summary(
            content=content,
            levels=levels,
            wording=wording,
            as_of=as_of_date(content, frozen, timezone.localdate()),
            previous=previous,
            who=_who,
        ),
        "chief_statement": a.chief_statement.text,
        "chief_statement_by": _who(a.chief_statement.by),
        "chief_statement_at": govuk_date_text(a.chief_statement.at),
        "assurance_statement": sign_off.assurance_statement,
        "signed_off_by": _who(sign_off.signed_off_by),
        "signed_off_at": govuk_date_text(sign_off.signed_off_at),
        "published_by": _who(sign_off.published_by),
        "published_at": govuk_date_text(sign_off.published_at),
        "judgement_counts": [
            {"label": lv.label, "colour": safe_colour(lv.colour), "count": counts.get(lv.code, 0)} for lv in levels
        ],
        "requirement_total": len(requirements),
        # "37 assured, 1 not assured": the scale's levels in order, those with none left out.
        "judgement_text": ", ".join(
            f"{counts.get(lv.code, 0)} {lv.label.lower()}" for lv in levels if counts.get(lv.code, 0)
        ),
        "areas": [area.name for area in axes.layout.areas],
        "heat_rows": axes.rows(content.responses),
        "cell_rule": CELL_RULE,
        "requirements": requirements,
        "general_challenges": general_challenges,
        "live_departures": sum(1 for d in content.departures if d.status == DepartureStatus.LIVE),
        "open_actions": sum(1 for x in content.actions if x.status in OPEN_ACTION_STATUSES),
        "transitions": [
            {
                "action": STEP_WORDS[t.action] if t.action in STEP_WORDS else t.action.replace("_", " "),
                "to": choice_label(AssessmentStatus, t.to_status),
                "by": _who(t.by),
                "at": govuk_date_text(t.at),
                "note": t.note,
            }
            for t in content.transitions
        ],
        "content_sha256": content_sha256,
        "agreements": agreements,
        **_capacity_context(content),
        "inspection_requests": [
            {**r, "due_date": govuk_date_text(r["due_date"])} for r in (inspection or {}).get("requests", [])
        ],
        "inspection_findings": [
            {**f, "found_on": govuk_date_text(f["found_on"])} for f in (inspection or {}).get("findings", [])
        ],
        # The audit chain as it stood when this report was built (not in the input hash: the same
        # content is the same report; a rebuild prints a later checkpoint).
        "audit_checkpoint": audit_checkpoint() if frozen else None,
    }
    return Prepared(
        template=ACCOUNTABILITY_TEMPLATE,
        title=title,
        context=context,
        input_hash=_accountability_hash(
            content_sha256, frozen=frozen, previous=previous, agreements=agreements, inspection=inspection
        ),
    )


def _evidence(item: EvidenceRecord) -> dict:
    if item.kind == EvidenceKind.FILE:
        detail = item.original_name or "File"
    elif item.kind == EvidenceKind.LINK:
        detail = item.url
    else:
        detail = item.reference
    return {
        "title": item.title,
        "kind": choice_label(EvidenceKind, item.kind),
        "detail": detail,
        "owner": item.owner,
        "date": govuk_date_text(item.evidence_date),
        "marking": item.protective_marking,
        # A hash describes a file; a link or a reference has none to show.
        "sha256": item.sha256 if item.kind == EvidenceKind.FILE else "",
    }


def _departure(item: DepartureRecord, evidence: dict[int, EvidenceRecord]) -> dict:
    return {
        "party": choice_label(DepartingParty, item.departing_party),
        "status": choice_label(DepartureStatus, item.status),
        "circumstances": item.circumstances,
        "reasons": item.reasons,
        "alternative_arrangements": item.alternative_arrangements,
        "residual_risk": item.residual_risk,
        "review_date": govuk_date_text(item.review_date),
        "evidence": [evidence[i].title for i in item.evidence if i in evidence],
    }


def _action(item: ActionRecord) -> dict:
    return {
        "gap": item.gap,
        "description": item.description,
        "owner": item.owner,
        "due_date": govuk_date_text(item.due_date),
        "status": choice_label(ActionStatus, item.status),
    }


def _challenge(item: ChallengeRecord) -> dict:
    return {
        "text": item.text,
        "status": choice_label(ChallengeStatus, item.status),
        "raised_by": _who(item.raised_by),
        "raised_at": govuk_date_text(item.raised_at),
        "closed_by": _who(item.closed_by),
        "closed_at": govuk_date_text(item.closed_at),
        "closing_note": item.closing_note,
        "replies": [{"author": _who(r.author), "text": r.text, "at": govuk_date_text(r.at)} for r in item.replies],
    }
