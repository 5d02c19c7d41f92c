"""The selectors' results as plain data for the API (and nothing else: no queries happen here)."""

from __future__ import annotations

from assessments.matrix import CELL_RULE, CROSS_CUTTING, Cell
from dashboards import selectors
from inspection.models import FindingKind


def _assessment(assessment) -> dict | None:
    if assessment is None:
        return None
    return {
        "id": assessment.id,
        "edition": assessment.edition.code,
        "period": assessment.period,
        "revision": assessment.revision,
        "status": assessment.status,
    }


def _cell(cell: Cell) -> dict:
    return {
        "threat": cell.threat,
        "area": cell.area,
        "code": cell.code,
        "label": cell.label,
        "colour": cell.colour,
        "judged": cell.judged,
        "unassessed": cell.unassessed,
        "total": cell.total,
        "spread": [{"code": level.code, "label": level.label, "count": count} for level, count in cell.spread],
        "spread_text": cell.spread_text,
    }


def _trends(trends: selectors.Trends | None) -> dict | None:
    if trends is None:
        return None

    def series(items):
        return [
            {"code": s.code, "name": s.name, "values": [None if v is None else round(v, 4) for v in s.values]}
            for s in items
        ]

    return {"periods": trends.periods, "by_threat": series(trends.by_threat), "by_area": series(trends.by_area)}


def _axes(layout) -> dict:
    if layout is None:
        return {"threats": [], "areas": []}
    return {
        "threats": [{"code": t.code, "name": t.name} for t in layout.threats],
        "cross_cutting_threat": CROSS_CUTTING if layout.band and layout.cross_cutting else None,
        "areas": [{"code": a.code, "name": a.name} for a in layout.areas],
    }


def force_inspection_data(summary) -> dict:
    """A force's HMIC requests and findings as counts (inspection.selectors.InspectionSummary)."""
    return {
        "open_requests": len(summary.open_requests),
        "overdue_requests": len(summary.overdue_requests),
        "findings": {kind: count for kind, _label, count in summary.findings_by_kind},
        "open_findings": len(summary.open_findings),
    }


def national_inspection_data(national) -> dict:
    """Findings by kind per region and per force (inspection.selectors.NationalInspection)."""
    kinds = FindingKind.values
    return {
        "regions": [
            {"code": row.code, "name": row.name, "findings": dict(zip(kinds, row.counts, strict=True))}
            for row in national.regions
        ],
        "forces": [
            {
                "code": row.code,
                "name": row.name,
                "findings": dict(zip(kinds, row.counts, strict=True)),
                "open_requests": row.open_requests,
                "overdue_requests": row.overdue_requests,
            }
            for row in national.forces
        ],
    }


def force_dashboard_data(board: selectors.ForceDashboard, inspection=None) -> dict:
    progress = board.progress
    return {
        "force": {"code": board.force.code, "name": board.force.name, "region": board.force.region.name},
        "assessment": _assessment(board.current),
        "previous_assessment": _assessment(board.previous),
        "periods": board.periods,
        **_axes(board.layout),
        "cell_rule": CELL_RULE,
        "cells": [
            {
                **_cell(item.cell),
                "change": item.change.code,
                "change_text": item.change.text,
                "requirements": [r["ref"] for r in item.requirements],
            }
            for item in board.cells
        ],
        "progress": {
            "completed": progress.completed,
            "judged": progress.judged,
            "total": progress.total,
            "percent": progress.percent,
        },
        "open_challenges": len(board.open_challenges),
        "live_departures": len(board.live_departures),
        "overdue_actions": len(board.overdue_actions),
        "evidence_past_review": board.evidence_past_review_count,
        "trends": _trends(board.trends) if board.current else None,
        "inspection": force_inspection_data(inspection) if inspection is not None else None,
    }


def _line(line: selectors.CapacityLine) -> dict:
    return {
        "capability": line.capability.code,
        "name": line.capability.name,
        "unit": line.capability.unit,
        "national_planning_assumption": line.assumption,
        "committed": line.committed,
        "available": line.available,
        "forces": line.forces,
        "longest_notice_hours": line.longest_notice_hours,
        "shortfall_committed": line.shortfall_committed,
        "shortfall_available": line.shortfall_available,
        "expected": line.expected,
        "shortfall_against_expected": line.shortfall,
        "total_forces": line.total_forces,
        "forces_not_reported": line.not_reported,
        "expected_not_reported": line.not_reported_expected,
        "complete": line.complete,
        "meets": line.meets,
        "illustrative": line.illustrative,
    }


def capacity_data(summary: selectors.CapacitySummary) -> dict:
    return {
        "period": summary.period,
        "total_forces": summary.total_forces,
        "reporting_forces": summary.reporting_forces,
        "complete": summary.complete,
        "illustrative": summary.illustrative,
        "national": [_line(line) for line in summary.national],
        "by_region": [
            {"region": region.name, "lines": [_line(line) for line in lines]} for region, lines in summary.by_region
        ],
    }


def national_data(view: selectors.NationalView, *, region, body_type, inspection=None) -> dict:
    return {
        "edition": view.edition.code if view.edition else None,
        "period": view.period,
        "periods": view.periods,
        "region": region.code if region else None,
        "policing_body_type": body_type or None,
        "cell_rule": CELL_RULE,
        **_axes(view.layout),
        "forces": [
            {
                "code": row.force.code,
                "name": row.force.name,
                "region": row.force.region.name,
                "policing_body_type": row.body_type,
                "assessment": _assessment(row.assessment),
                "assured_percent": row.assured_percent,
                "live_departures": row.live_departures,
                "overdue_actions": row.overdue_actions,
                "deadline": row.deadline.overall.value if row.deadline else None,
                "cells": [_cell(item.cell) for item in row.cells],
            }
            for row in view.rows
        ],
        "regions": [
            {
                "code": s.region.code,
                "name": s.region.name,
                "forces": s.forces,
                "assessed": s.assessed,
                "assured_percent": s.assured_percent,
                "live_departures": s.live_departures,
                "overdue_actions": s.overdue_actions,
            }
            for s in view.regions
        ],
        "capacity": capacity_data(view.capacity),
        "trends": _trends(view.trends),
        "inspection": national_inspection_data(inspection) if inspection is not None else None,
    }
