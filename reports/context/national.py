"""The national overview's context: each force's latest published revision, by region."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.matrix import CELL_RULE
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Assessment,
    AssessmentStatus,
    DepartureStatus,
    Snapshot,
)
from assessments.records import SCHEMA_VERSION, content_of
from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from capacity.selectors import summarise
from forces.models import Force, Region
from inspection.models import FindingKind
from inspection.selectors import period_finding_counts
from reports.context.common import (
    NATIONAL_TEMPLATE,
    TEMPLATE_VERSION,
    Axes,
    Prepared,
    cell_data,
    govuk_date_text,
    initials,
    payload_sha256,
    safe_colour,
)
from threats.models import Edition

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
    expectations: list[ExpectedContribution]
    #: [[force id, kind, number], ...]: HMIC's findings for the period (inspection).
    findings: list[list] = field(default_factory=list)
    #: Forces that published this period against another edition: {edition title: how many}. They
    #: are in that edition's overview; this one says so rather than mixing editions in a column.
    other_editions: dict[str, int] = field(default_factory=dict)

    def hash(self) -> str:
        return payload_sha256(
            {
                "kind": "national",
                "template": TEMPLATE_VERSION,
                # What the overview reads the stored snapshots as (older ones are upgraded to it).
                "schema": SCHEMA_VERSION,
                "marking": settings.SPR_PROTECTIVE_MARKING,
                "edition": self.edition.code,
                "period": self.period,
                "region": self.region.code if self.region else None,
                "as_of": self.as_of.isoformat(),
                "forces": [[f.code, f.name, f.region.code, *self.published.get(f.id, ())] for f in self.forces],
                "capabilities": [
                    [c.code, c.name, c.unit, c.national_planning_assumption, c.description] for c in self.capabilities
                ],
                "expected": [[e.force_id, e.capability_id, e.expected, e.official] for e in self.expectations],
                "other_editions": sorted(self.other_editions.items()),
                "capacity": [
                    [c.force_id, c.capability_id, c.committed, c.available, c.notice_period_hours, c.as_of.isoformat()]
                    for c in self.commitments
                ],
                # Left out when there are none, so an overview without findings keeps its hash.
                **({"findings": self.findings} if self.findings else {}),
            }
        )


def national_inputs(*, edition: Edition, period: str, region: Region | None, as_of: dt.date | None = None):
    """The rows a national overview is built from, without the snapshot payloads (five queries)."""
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
        expectations=list(
            ExpectedContribution.objects.filter(period=period, force__in=[f.id for f in forces]).order_by(
                "force_id", "capability_id"
            )
        ),
        findings=period_finding_counts(force_ids=[f.id for f in forces], period=period),
        other_editions={
            f"{title} ({published_on:%B %Y})": n
            for title, published_on, n in Assessment.objects.filter(
                period=period, status=AssessmentStatus.PUBLISHED, force__in=[f.id for f in forces]
            )
            .exclude(edition=edition)
            .values_list("edition__title", "edition__published_on")
            .annotate(n=Count("force_id", distinct=True))
            .order_by()
        },
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
    # The national picture: for each threat × area cell, how many published forces' cells read each
    # judgement (a cell reads the lowest judgement of its requirements, as on the force's own map).
    picture: dict[tuple[str, str], Counter] = {
        (t.code, a.code): Counter() for t in axes.layout.threats for a in axes.layout.areas
    }
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
            # A snapshot of any schema, read through its upgrade steps.
            content = content_of(payload)
            cells = axes.cells(content.responses)
            for key, cell in cells.items():
                if key in picture and not cell.is_empty:
                    picture[key][cell.code] += 1
            counts = Counter(r.judgement for r in content.responses)
            entry.update(
                published={
                    "revision": published[1],
                    "at": govuk_date_text(content.assessment.sign_off.published_at),
                    "sha256": published[2],
                },
                cells=[cell_data(cells[(t.code, a.code)]) for t in axes.layout.threats for a in axes.layout.areas],
                counts=[counts.get(level.code, 0) for level in levels],
                live_departures=sum(1 for d in content.departures if d.status == DepartureStatus.LIVE),
                overdue_actions=sum(
                    1 for x in content.actions if x.status in OPEN_ACTION_STATUSES and x.due_date < inputs.as_of
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
    summary = summarise(
        period=inputs.period,
        capabilities=inputs.capabilities,
        regions={f.region_id: f.region for f in inputs.forces},
        forces=[(f.id, f.region_id) for f in inputs.forces],
        commitments={
            (c.force_id, c.capability_id): {
                "committed": c.committed,
                "available": c.available,
                "notice_period_hours": c.notice_period_hours,
            }
            for c in inputs.commitments
        },
        expectations={(e.force_id, e.capability_id): (e.expected, e.official) for e in inputs.expectations},
    )
    national_capacity = [
        {
            "name": line.capability.name,
            "unit": line.capability.unit,
            "paragraphs": line.capability.paragraphs,
            "npa": line.assumption,
            "expected": line.expected,
            "committed": line.committed,
            "shortfall": line.shortfall,
            "available": line.available,
            "not_reported": line.not_reported,
            "not_reported_expected": line.not_reported_expected,
            "coverage": line.coverage,
            "meets": line.meets,
            "verdict": line.verdict,
            "illustrative": line.illustrative,
        }
        for line in summary.national
    ]
    for region in regions.values():
        region["published_forces"] = [f for f in region["forces"] if f["published"]]
        region["unpublished"] = [f["name"] for f in region["forces"] if not f["published"]]
        # A region earns a section only with something to show: a published force or reported capacity.
        region["capacity_reported"] = any(row["reported"] for row in region["capacity_rows"])
        region["has_content"] = bool(region["published_forces"]) or region["capacity_reported"]
    area_key = [{"name": a.name, "short": str(i)} for i, a in enumerate(axes.layout.areas, start=1)]
    scope = inputs.region.name if inputs.region else "England and Wales"
    title = f"National overview: {inputs.edition.title}, {inputs.period}, {scope}"
    context = {
        "title": title,
        "marking": settings.SPR_PROTECTIVE_MARKING,
        "edition": inputs.edition.title,
        "other_editions": sorted(inputs.other_editions.items()),
        "period": inputs.period,
        "scope": scope,
        "as_of": govuk_date_text(inputs.as_of.isoformat()),
        "threats": [{"name": t.name, "span": len(axes.layout.areas)} for t in axes.layout.threats],
        # Area names do not fit 25 narrow columns (and the five Cs share an initial): number them, with a key.
        "areas": area_key * len(axes.layout.threats),
        "area_key": area_key,
        "levels": [{"label": lv.label, "short": initials(lv.label), "colour": safe_colour(lv.colour)} for lv in levels],
        "cell_rule": CELL_RULE,
        "regions": list(regions.values()),
        "national_picture": _picture_rows(axes, picture, levels),
        "not_published": [
            {"region": region["name"], "forces": region["unpublished"]}
            for region in regions.values()
            if region["unpublished"]
        ],
        "not_published_count": sum(len(region["unpublished"]) for region in regions.values()),
        "totals": totals,
        "national_capacity": national_capacity,
        "capacity_coverage": summary.coverage,
        "capacity_complete": summary.complete,
        "capacity_illustrative": summary.illustrative,
        "has_capacity": bool(inputs.capabilities),
        **_findings_context(inputs),
    }
    return Prepared(template=NATIONAL_TEMPLATE, title=title, context=context, input_hash=inputs.hash())


def _findings_context(inputs: NationalInputs) -> dict:
    """HMIC's findings for the period by kind: a row per force that has any, and the totals."""
    kinds = list(FindingKind)
    by_force: dict[int, Counter] = {}
    for force_id, kind, count in inputs.findings:
        by_force.setdefault(force_id, Counter())[kind] = count
    rows = [
        {"name": f.name, "region": f.region.name, "counts": [by_force[f.id].get(k.value, 0) for k in kinds]}
        for f in inputs.forces
        if f.id in by_force
    ]
    return {
        "finding_kinds": [str(k.label) for k in kinds],
        "finding_rows": rows,
        "finding_totals": [sum(row["counts"][i] for row in rows) for i in range(len(kinds))],
    }


def _picture_rows(axes: Axes, picture: dict[tuple[str, str], Counter], levels: list) -> list[dict]:
    """One row per threat, one cell per area: how many published forces' cells read each judgement,
    worst first, in words (the colour is the worst judgement present, never the only signal)."""
    ordered = sorted(levels, key=lambda level: (level.score is None, level.score or 0, level.position))
    rows = []
    for threat in axes.layout.threats:
        cells = []
        for area in axes.layout.areas:
            counts = picture[(threat.code, area.code)]
            parts = [
                {"count": counts[level.code], "label": level.label.lower(), "colour": safe_colour(level.colour)}
                for level in ordered
                if counts.get(level.code)
            ]
            if counts.get(""):
                parts.append({"count": counts[""], "label": _("not yet assessed"), "colour": "grey"})
            empty = not axes.layout.cells.get((threat.code, area.code))
            cells.append(
                {"parts": parts, "colour": "none" if empty or not parts else parts[0]["colour"], "empty": empty}
            )
        rows.append({"threat": threat.name, "cells": cells})
    return rows
