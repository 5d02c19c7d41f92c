"""What a PDF shows, as plain data for templates/pdf/*.html, and the SHA-256 of it (`input_hash`).

The templates get strings, numbers and lists only; every piece of user text reaches the HTML through
Django's autoescaping (no `|safe` anywhere in templates/pdf). Colours come from a fixed list, never
from data, because they end up in class names.

Which content a report is built from:
- PCC accountability report: a published assessment's stored Snapshot.payload (so the report of a
  published assessment reproduces exactly, whatever happens to the live rows); any other state, the
  live `snapshot_payload(assessment)` at the time of rendering.
- National overview: for each force, its latest *published* revision for the edition and period (the
  record the PCC signed off and published to HMIC), read from its snapshot. Drafts, and submissions a
  force shared early, are not compared nationally: they can still change, and the overview compares
  like with like. A force with nothing published says so. Overdue actions are counted as at the date
  of the report, so that date is part of the input hash.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from assessments.matrix import CELL_RULE, Cell, edition_layout, heat_maps
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
from assessments.snapshots import snapshot_payload, snapshot_sha256
from capabilities.models import CapacityCapability, CapacityCommitment, Requirement
from core.audit import canonical
from forces.models import BodyType, Force, Region
from threats.models import Edition

#: Bump when templates/pdf/* or static/css/pdf.css change what a report shows: it is part of every
#: input hash, so reports built by the old templates are not handed out as current.
TEMPLATE_VERSION = "2025.11.3"
ACCOUNTABILITY_TEMPLATE = "pdf/accountability.html"
NATIONAL_TEMPLATE = "pdf/national.html"
COLOURS = {"green", "yellow", "orange", "red", "grey", "blue", "turquoise"}


@dataclass(frozen=True)
class Prepared:
    """Everything the worker needs to render one report."""

    template: str
    title: str
    context: dict
    input_hash: str

    @property
    def identifier(self) -> bytes:
        # The PDF's /ID: derived from the content, so the same content gives the same bytes.
        return self.input_hash[:32].encode()


def _sha(payload: dict) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def _colour(value: str | None) -> str:
    return value if value in COLOURS else "grey"


def _date(value: str | None) -> str:
    """GOV.UK style: 3 June 2025, or 3 June 2025 at 2:05pm for a moment in time."""
    if not value:
        return ""
    parsed = dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    if isinstance(parsed, dt.datetime):
        local = timezone.localtime(parsed) if timezone.is_aware(parsed) else parsed
        clock = f"{local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
        return f"{local.day} {local:%B %Y} at {clock}"
    return f"{parsed.day} {parsed:%B %Y}"


def _label(choices, value) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value or "")


def _abbreviation(label: str) -> str:
    """Initials for the national tables' narrow cells: "Partially assured" → "PA"."""
    return "".join(word[0] for word in label.split() if word[:1].isalnum()).upper() or label[:2]


# --- The threat × area heat map, from a payload's responses --------------------------------------


@dataclass
class Axes:
    """An edition's threats, areas, judgement scale and requirement ids by ref (five queries)."""

    layout: object
    requirement_id: dict[str, int]
    level_id: dict[str, int]

    @classmethod
    def of(cls, edition: Edition) -> Axes:
        layout = edition_layout(edition)
        return cls(
            layout=layout,
            requirement_id=dict(Requirement.objects.filter(edition=edition).values_list("ref", "id")),
            level_id={level.code: level.id for level in layout.levels.values()},
        )

    @property
    def levels(self) -> list:
        return sorted(self.layout.levels.values(), key=lambda level: (level.position, level.id))

    def cells(self, responses: list[dict]) -> dict[tuple[str, str], Cell]:
        rows = [
            (0, self.requirement_id[r["ref"]], self.level_id[r["judgement"]])
            for r in responses
            if r["ref"] in self.requirement_id and r["judgement"] in self.level_id
        ]
        cells = heat_maps(self.layout, rows).get(0)
        if cells is None:  # nothing answered at all: every requirement counts as not yet assessed
            cells = {
                key: Cell(threat=key[0], area=key[1], requirement_ids=ids, unassessed=len(ids))
                for key, ids in self.layout.cells.items()
            }
        return cells

    def rows(self, responses: list[dict]) -> list[dict]:
        cells = self.cells(responses)
        return [
            {
                "threat": threat.name,
                "cells": [_cell(cells[(threat.code, area.code)]) for area in self.layout.areas],
            }
            for threat in self.layout.threats
        ]


def _cell(cell: Cell) -> dict:
    return {
        "label": cell.label,
        "short": "–" if cell.is_empty else _abbreviation(cell.label),
        "colour": "none" if cell.is_empty else _colour(cell.colour),
        "unassessed": cell.unassessed if cell.judged else 0,
        "total": cell.total,
    }


# --- PCC accountability report ---------------------------------------------------------------------


def _accountability_source(assessment: Assessment) -> tuple[dict | None, str]:
    """(payload, its SHA-256). For a published assessment the payload is None until it is needed: the
    stored hash already says what the report will show."""
    if assessment.status == AssessmentStatus.PUBLISHED:
        try:
            return None, assessment.snapshot.sha256
        except Snapshot.DoesNotExist:  # published before snapshots existed: fall back to the live rows
            pass
    payload = snapshot_payload(assessment)
    return payload, snapshot_sha256(payload)


def _accountability_hash(content_sha256: str) -> str:
    return _sha(
        {
            "kind": "accountability",
            "template": TEMPLATE_VERSION,
            "marking": settings.SPR_PROTECTIVE_MARKING,
            "content": content_sha256,
        }
    )


def accountability_input_hash(assessment: Assessment) -> str:
    """For a published assessment: its Snapshot.sha256 + kind + template version (one query)."""
    return _accountability_hash(_accountability_source(assessment)[1])


def accountability_prepare(assessment: Assessment) -> Prepared:
    payload, content_sha256 = _accountability_source(assessment)
    frozen = payload is None
    if frozen:
        payload = assessment.snapshot.payload
    edition = Edition.objects.get(code=payload["assessment"]["edition"]["code"])
    axes = Axes.of(edition)
    a = payload["assessment"]
    evidence = {item["id"]: item for item in payload["evidence"]}
    by_ref: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for departure in payload["departures"]:
        by_ref[departure["requirement"]]["departures"].append(_departure(departure, evidence))
    for action in payload["actions"]:
        by_ref[action["requirement"]]["actions"].append(_action(action))
    general_challenges = []
    for challenge in payload["challenges"]:
        if challenge["requirement"]:
            by_ref[challenge["requirement"]]["challenges"].append(_challenge(challenge))
        else:
            general_challenges.append(_challenge(challenge))
    levels = axes.levels
    counts = Counter(r["judgement"] for r in payload["responses"])
    requirements = [
        {
            "anchor": f"req-{index}",
            "ref": r["ref"],
            "paragraph": r["paragraph"],
            "section": r["section"],
            "group_heading": r["group_heading"],
            "text": r["text"],
            "judgement": r["judgement_label"],
            "colour": _colour(next((lv.colour for lv in levels if lv.code == r["judgement"]), None)),
            "narrative": r["narrative"],
            "evidence": [_evidence(evidence[i]) for i in r["evidence"] if i in evidence],
            **{key: by_ref[r["ref"]][key] for key in ("departures", "actions", "challenges")},
        }
        for index, r in enumerate(payload["responses"], start=1)
    ]
    body = a["policing_body"]
    title = f"PCC accountability report: {a['force']['name']}, {a['period']}"
    context = {
        "title": title,
        "marking": settings.SPR_PROTECTIVE_MARKING,
        "force": a["force"]["name"],
        "region": a["force"]["region"],
        "policing_body": body["name"] if body else "No policing body recorded",
        "policing_body_type": _label(BodyType, body["type"]) if body else "",
        "edition": a["edition"]["title"],
        "edition_code": a["edition"]["code"],
        "period": a["period"],
        "revision": a["revision"],
        "status": _label(AssessmentStatus, a["status"]),
        "frozen": frozen,
        "chief_statement": a["chief_statement"],
        "chief_statement_by": a["chief_statement_by"] or "",
        "chief_statement_at": _date(a["chief_statement_at"]),
        "assurance_statement": a["assurance_statement"],
        "signed_off_by": a["signed_off_by"] or "",
        "signed_off_at": _date(a["signed_off_at"]),
        "published_by": a["published_by"] or "",
        "published_at": _date(a["published_at"]),
        "judgement_counts": [
            {"label": lv.label, "colour": _colour(lv.colour), "count": counts.get(lv.code, 0)} for lv in levels
        ],
        "requirement_total": len(requirements),
        "areas": [area.name for area in axes.layout.areas],
        "heat_rows": axes.rows(payload["responses"]),
        "cell_rule": CELL_RULE,
        "requirements": requirements,
        "general_challenges": general_challenges,
        "live_departures": sum(1 for d in payload["departures"] if d["status"] == DepartureStatus.LIVE),
        "open_actions": sum(1 for x in payload["actions"] if x["status"] in OPEN_ACTION_STATUSES),
        "transitions": [
            {
                "action": t["action"].replace("_", " "),
                "to": _label(AssessmentStatus, t["to"]),
                "by": t["by"] or "",
                "at": _date(t["at"]),
                "note": t["note"],
            }
            for t in payload["transitions"]
        ],
        "content_sha256": content_sha256,
    }
    return Prepared(
        template=ACCOUNTABILITY_TEMPLATE, title=title, context=context, input_hash=_accountability_hash(content_sha256)
    )


def _evidence(item: dict) -> dict:
    if item["kind"] == EvidenceKind.FILE:
        detail = item["original_name"] or "File"
    elif item["kind"] == EvidenceKind.LINK:
        detail = item["url"]
    else:
        detail = item["reference"]
    return {
        "title": item["title"],
        "kind": _label(EvidenceKind, item["kind"]),
        "detail": detail,
        "owner": item["owner"],
        "date": _date(item["evidence_date"]),
        "marking": item["protective_marking"],
        "sha256": item["sha256"],
    }


def _departure(item: dict, evidence: dict) -> dict:
    return {
        "party": _label(DepartingParty, item["departing_party"]),
        "status": _label(DepartureStatus, item["status"]),
        "circumstances": item["circumstances"],
        "reasons": item["reasons"],
        "alternative_arrangements": item["alternative_arrangements"],
        "residual_risk": item["residual_risk"],
        "review_date": _date(item["review_date"]),
        "evidence": [evidence[i]["title"] for i in item["evidence"] if i in evidence],
    }


def _action(item: dict) -> dict:
    return {
        "gap": item["gap"],
        "description": item["description"],
        "owner": item["owner"],
        "due_date": _date(item["due_date"]),
        "status": _label(ActionStatus, item["status"]),
    }


def _challenge(item: dict) -> dict:
    return {
        "text": item["text"],
        "status": _label(ChallengeStatus, item["status"]),
        "raised_by": item["raised_by"] or "",
        "raised_at": _date(item["raised_at"]),
        "closed_by": item["closed_by"] or "",
        "closed_at": _date(item["closed_at"]),
        "closing_note": item["closing_note"],
        "replies": [{"author": r["author"] or "", "text": r["text"], "at": _date(r["at"])} for r in item["replies"]],
    }


# --- National overview -----------------------------------------------------------------------------


@dataclass
class NationalInputs:
    edition: Edition
    period: str
    region: Region | None
    as_of: dt.date
    forces: list[Force]
    published: dict[int, tuple[int, int, str]]  # force id → (assessment id, revision, snapshot sha256)
    commitments: list[CapacityCommitment]
    capabilities: list[CapacityCapability]

    def hash(self) -> str:
        return _sha(
            {
                "kind": "national",
                "template": TEMPLATE_VERSION,
                "marking": settings.SPR_PROTECTIVE_MARKING,
                "edition": self.edition.code,
                "period": self.period,
                "region": self.region.code if self.region else None,
                "as_of": self.as_of.isoformat(),
                "forces": [[f.code, f.name, f.region.code, *self.published.get(f.id, ())] for f in self.forces],
                "capabilities": [[c.code, c.name, c.unit, c.national_planning_assumption] for c in self.capabilities],
                "capacity": [
                    [c.force_id, c.capability_id, c.committed, c.available, c.notice_period_hours, c.as_of.isoformat()]
                    for c in self.commitments
                ],
            }
        )


def national_inputs(*, edition: Edition, period: str, region: Region | None, as_of: dt.date | None = None):
    """The rows a national overview is built from, without the snapshot payloads (four queries)."""
    forces = Force.objects.select_related("region").prefetch_related("policing_bodies").order_by("region__name", "name")
    if region is not None:
        forces = forces.filter(region=region)
    forces = list(forces)
    published: dict[int, tuple[int, int, str]] = {}
    rows = (
        Assessment.objects.filter(
            edition=edition, period=period, status=AssessmentStatus.PUBLISHED, force__in=[f.id for f in forces]
        )
        .order_by("force_id", "-revision")
        .values_list("force_id", "id", "revision", "snapshot__sha256")
    )
    for force_id, assessment_id, revision, sha in rows:
        published.setdefault(force_id, (assessment_id, revision, sha or ""))
    commitments = list(
        CapacityCommitment.objects.filter(period=period, force__in=[f.id for f in forces]).order_by(
            "force_id", "capability_id"
        )
    )
    return NationalInputs(
        edition=edition,
        period=period,
        region=region,
        as_of=as_of or timezone.localdate(),
        forces=forces,
        published=published,
        commitments=commitments,
        capabilities=list(CapacityCapability.objects.order_by("position", "name")),
    )


def national_prepare(inputs: NationalInputs) -> Prepared:
    axes = Axes.of(inputs.edition)
    levels = axes.levels
    payloads = dict(
        Snapshot.objects.filter(assessment_id__in=[p[0] for p in inputs.published.values()]).values_list(
            "assessment_id", "payload"
        )
    )
    capability_ids = [c.id for c in inputs.capabilities]
    committed: dict[tuple[int, int], CapacityCommitment] = {
        (c.force_id, c.capability_id): c for c in inputs.commitments
    }
    regions: dict[int, dict] = {}
    totals = Counter()
    for force in inputs.forces:
        region = regions.setdefault(
            force.region_id,
            {
                "name": force.region.name,
                "anchor": f"region-{force.region.code}",
                "forces": [],
                "totals": Counter(),
                "capacity": Counter(),
            },
        )
        entry = {"name": force.name, "body": getattr(force.current_policing_body, "name", ""), "published": None}
        published = inputs.published.get(force.id)
        payload = payloads.get(published[0]) if published else None
        if payload:
            responses = payload["responses"]
            cells = axes.cells(responses)
            counts = Counter(r["judgement"] for r in responses)
            entry.update(
                published={
                    "revision": published[1],
                    "at": _date(payload["assessment"]["published_at"]),
                    "sha256": published[2],
                },
                cells=[_cell(cells[(t.code, a.code)]) for t in axes.layout.threats for a in axes.layout.areas],
                counts=[counts.get(level.code, 0) for level in levels],
                live_departures=sum(1 for d in payload["departures"] if d["status"] == DepartureStatus.LIVE),
                overdue_actions=sum(
                    1
                    for x in payload["actions"]
                    if x["status"] in OPEN_ACTION_STATUSES and dt.date.fromisoformat(x["due_date"]) < inputs.as_of
                ),
            )
            region["totals"].update(
                published=1, live_departures=entry["live_departures"], overdue_actions=entry["overdue_actions"]
            )
        entry["capacity"] = [
            committed.get((force.id, cid))
            and {"committed": committed[(force.id, cid)].committed, "available": committed[(force.id, cid)].available}
            for cid in capability_ids
        ]
        for cid in capability_ids:
            figures = committed.get((force.id, cid))
            if figures:
                region["capacity"].update(
                    {f"{cid}:committed": figures.committed, f"{cid}:available": figures.available}
                )
        region["totals"].update(forces=1)
        region["forces"].append(entry)
    for region in regions.values():
        totals.update(region["totals"])
        region["capacity_rows"] = [
            {
                "name": c.name,
                "unit": c.unit,
                "committed": region["capacity"][f"{c.id}:committed"],
                "available": region["capacity"][f"{c.id}:available"],
                "reported": sum(1 for f in region["forces"] if f["capacity"][i]),
            }
            for i, c in enumerate(inputs.capabilities)
        ]
    national_capacity = []
    for c in inputs.capabilities:
        rows = [x for x in inputs.commitments if x.capability_id == c.id]
        total_committed = sum(x.committed for x in rows)
        total_available = sum(x.available for x in rows)
        national_capacity.append(
            {
                "name": c.name,
                "unit": c.unit,
                "paragraphs": c.paragraphs,
                "npa": c.national_planning_assumption,
                "committed": total_committed,
                "available": total_available,
                "forces": len(rows),
                "percent": round(100 * total_available / c.national_planning_assumption)
                if c.national_planning_assumption
                else None,
                "met": total_available >= c.national_planning_assumption,
            }
        )
    area_key = [{"name": a.name, "short": str(i)} for i, a in enumerate(axes.layout.areas, start=1)]
    scope = inputs.region.name if inputs.region else "England and Wales"
    title = f"National overview: {inputs.edition.title}, {inputs.period}, {scope}"
    context = {
        "title": title,
        "marking": settings.SPR_PROTECTIVE_MARKING,
        "edition": inputs.edition.title,
        "period": inputs.period,
        "scope": scope,
        "as_of": _date(inputs.as_of.isoformat()),
        "threats": [{"name": t.name, "span": len(axes.layout.areas)} for t in axes.layout.threats],
        # Area names do not fit 25 narrow columns (and the five Cs share an initial): number them, with a key.
        "areas": area_key * len(axes.layout.threats),
        "area_key": area_key,
        "levels": [
            {"label": lv.label, "short": _abbreviation(lv.label), "colour": _colour(lv.colour)} for lv in levels
        ],
        "cell_rule": CELL_RULE,
        "regions": list(regions.values()),
        "totals": totals,
        "national_capacity": national_capacity,
        "has_capacity": bool(inputs.capabilities),
    }
    return Prepared(template=NATIONAL_TEMPLATE, title=title, context=context, input_hash=inputs.hash())
