"""CSV exports of the national matrix and the capacity table, shared by the pages and the API (written
by core.csv, which guards against formulas)."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpResponse

from core.csv import csv_response, csv_text
from dashboards.selectors import CapacitySummary, NationalView

NATIONAL_HEADER = [
    "force_code",
    "force",
    "region",
    "policing_body_type",
    "edition",
    "period",
    "assessment_id",
    "revision",
    "status",
    "threat",
    "area",
    "judgement",
    "judgement_code",
    "judged",
    "unassessed",
    "total",
    "spread",
]


def national_rows(view: NationalView) -> Iterable[list]:
    """One row per force × threat × area, then the cross-cutting band's row per area (threat
    `all-threats`: requirements that serve every threat, counted there once); a force with no
    assessment the user can see gets one row."""
    for row in view.rows:
        base = [
            row.force.code,
            row.force.name,
            row.force.region.name,
            row.body_type,
            view.edition.code if view.edition else "",
            view.period,
        ]
        if row.assessment is None:
            yield [*base, "", "", "no assessment visible", "", "", "", "", "", "", "", ""]
            continue
        for item in [*row.cells, *row.band]:
            cell = item.cell
            yield [
                *base,
                row.assessment.id,
                row.assessment.revision,
                row.assessment.status,
                cell.threat,
                cell.area,
                cell.label,
                cell.code,
                cell.judged,
                cell.unassessed,
                cell.total,
                cell.spread_text,
            ]


def national_csv(view: NationalView) -> str:
    return csv_text(NATIONAL_HEADER, national_rows(view))


def national_download(view: NationalView) -> HttpResponse:
    """The national matrix as a CSV attachment (the page's link and the API's `format=csv`)."""
    edition = view.edition.code if view.edition else "none"
    return csv_response(f"spr-national-{edition}-{view.period.replace('/', '-')}.csv", national_csv(view))


CAPACITY_HEADER = [
    "scope",
    "region",
    "period",
    "capability_code",
    "capability",
    "unit",
    "national_planning_assumption",
    "committed",
    "available",
    "forces_reporting",
    "longest_notice_hours",
    "shortfall_committed",
    "shortfall_available",
    "expected",
    "shortfall_against_expected",
    "total_forces",
    "forces_not_reported",
    "expected_not_reported",
    "coverage",
    "verdict",
    "figures",
]


def _capacity_row(scope: str, region: str, period: str, line, shortfalls: list) -> list:
    return [
        scope,
        region,
        period,
        line.capability.code,
        line.capability.name,
        line.capability.unit,
        line.assumption,
        line.committed,
        line.available,
        line.forces,
        line.longest_notice_hours or "",
        *shortfalls,
        "" if line.expected is None else line.expected,
        line.shortfall,
        line.total_forces,
        line.not_reported,
        line.not_reported_expected,
        f"{line.coverage} forces reported",
        line.verdict if scope == "national" else "",
        "ILLUSTRATIVE, not official" if line.illustrative else "official",
    ]


def capacity_rows(summary: CapacitySummary) -> Iterable[list]:
    """National totals first, then each region's contribution (regions have no assumption of their own)."""
    for line in summary.national:
        yield _capacity_row("national", "", summary.period, line, [line.shortfall_committed, line.shortfall_available])
    for region, lines in summary.by_region:
        for line in lines:
            yield _capacity_row("region", region.name, summary.period, line, ["", ""])


def capacity_csv(summary: CapacitySummary) -> str:
    return csv_text(CAPACITY_HEADER, capacity_rows(summary))


def capacity_download(summary: CapacitySummary) -> HttpResponse:
    """The capacity table as a CSV attachment (the page's link and the API's `format=csv`)."""
    return csv_response(f"spr-capacity-{summary.period.replace('/', '-')}.csv", capacity_csv(summary))
