"""The chief constable's dashboard: one force's heat map, progress, registers and trends."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.matrix import CROSS_CUTTING, Cell, Layout, edition_layout, heat_maps
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    Challenge,
    ChallengeStatus,
    Departure,
    DepartureStatus,
    Evidence,
    Response,
    ResponseStatus,
)
from assessments.selectors import response_status_q
from capabilities.editions.lineage import edition_chain
from capabilities.models import Requirement
from core.periods import previous_period
from core.text import short_text
from dashboards.selectors.common import (
    LIST_LIMIT,
    NOT_COMPARABLE,
    TREND_PERIODS,
    Change,
    Crossing,
    EditionBreak,
    Trends,
    build_trends,
    change_between,
    edition_breaks,
    latest_visible,
    tag_class,
    top_level_ids,
)
from forces.models import Force

# --- The chief constable's dashboard ---------------------------------------------------------------


@dataclass
class DashboardCell:
    cell: Cell
    change: Change
    area_name: str = ""
    requirements: list[dict] = field(default_factory=list)  # ref, text, label, colour, tag
    requirements_html: str = ""  # the list's items, escaped, built by the page view

    @property
    def tag(self) -> str:
        return tag_class(self.cell.colour)

    @property
    def anchor(self) -> str:
        return f"cell-{self.cell.threat}-{self.cell.area}"


@dataclass
class DashboardRow:
    threat: object  # a Threat, or the cross-cutting Band
    cells: list[DashboardCell]

    @property
    def is_band(self) -> bool:
        return self.threat.code == CROSS_CUTTING


@dataclass(frozen=True)
class Band:
    """The heat map's row of requirements that serve every threat, shown once."""

    code: str = CROSS_CUTTING
    name: str = _("All threats (cross-cutting)")


@dataclass
class Progress:
    total: int = 0
    completed: int = 0
    judged: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


@dataclass
class ForceDashboard:
    force: Force
    assessments: list[Assessment]  # every period the user can see, newest first
    current: Assessment | None = None
    previous: Assessment | None = None
    layout: Layout | None = None
    rows: list[DashboardRow] = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    open_challenges: list[Challenge] = field(default_factory=list)
    live_departures: list[Departure] = field(default_factory=list)
    overdue_actions: list[Action] = field(default_factory=list)
    evidence_past_review: list[Evidence] = field(default_factory=list)
    evidence_past_review_count: int = 0
    trends: Trends | None = None
    #: Where the previous period and the trends' earlier periods change edition (oldest first): they
    #: are compared through the mappings (same meaning only).
    edition_breaks: list[EditionBreak] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return sorted({assessment.period for assessment in self.assessments}, reverse=True)

    @property
    def cells(self) -> list[DashboardCell]:
        return [cell for row in self.rows for cell in row.cells]


def force_dashboard(*, user, force: Force, period: str | None = None) -> ForceDashboard:
    """The dashboard of one force the caller has already checked the user may open.

    The current assessment is the latest visible revision of the chosen period (default: the latest
    period), preferring the newest edition; the previous one is the period before, same edition or
    else the edition the current one follows (or an earlier one down the line). Answers of earlier
    editions are compared through the mappings (requirements that mean the same at every change; a
    cell with none says it is not compared), and `edition_breaks` says where the editions change.
    About 16 queries, whatever the number of periods, responses or evidence items.
    """
    assessments = list(
        latest_visible(user)
        .filter(force=force)
        .select_related("edition", "force")
        .order_by("-period", "-edition__published_on", "-revision")
    )
    board = ForceDashboard(force=force, assessments=assessments)
    candidates = [a for a in assessments if period is None or a.period == period]
    if not candidates:
        return board
    current = board.current = candidates[0]
    # Per period, this edition's assessment, or else one of the edition it follows, and so on down
    # the line (the newest edition wins a period assessed twice).
    crossed = any(a.edition_id != current.edition_id for a in assessments if a.period <= current.period)
    chain = edition_chain(current.edition) if crossed else [current.edition]
    editions = [edition.pk for edition in chain]
    by_period: dict[str, Assessment] = {}
    for a in assessments:
        if a.edition_id in editions and a.period <= current.period:
            kept = by_period.get(a.period)
            if kept is None or editions.index(a.edition_id) < editions.index(kept.edition_id):
                by_period[a.period] = a
    by_period[current.period] = current
    board.previous = by_period.get(previous_period(current.period))
    # The trend periods: the latest ones up to the current period (which also covers the previous).
    trend_periods = sorted(by_period, reverse=True)[:TREND_PERIODS]
    same_edition = [by_period[p] for p in trend_periods]
    layout = board.layout = edition_layout(current.edition, band=True)
    earlier = [a.id for a in same_edition if a.edition_id != current.edition_id]

    read = list(
        Response.objects.filter(assessment_id__in=[a.id for a in same_edition])
        .annotate(completed=ExpressionWrapper(response_status_q(ResponseStatus.COMPLETED), output_field=BooleanField()))
        .values_list("assessment_id", "requirement_id", "judgement_id", "completed")
        .order_by()  # no ORDER BY: Response's default ordering would join and sort by requirement
    )
    rows = [(aid, rid, lid) for aid, rid, lid, _ in read if aid not in earlier]
    if earlier:
        oldest = max(editions.index(a.edition_id) for a in same_edition)
        crossing = Crossing.along(chain[: oldest + 1])
        rows += crossing.rows([(aid, rid, lid) for aid, rid, lid, _ in read if aid in earlier], layout.levels)
        read = [row for row in read if row[0] not in earlier]
        board.edition_breaks = edition_breaks([(a.period, a.edition) for a in same_edition])
    maps = heat_maps(layout, rows)
    current_map = maps.get(current.id, {})
    previous_map = maps.get(board.previous.id, {}) if board.previous else None
    # Across an edition change, the requirements the previous period's answers reach (those that
    # mean the same): a cell with none of them cannot be compared.
    comparable = None
    if board.previous is not None and board.previous.edition_id != current.edition_id:
        comparable = {rid for aid, rid, _ in rows if aid == board.previous.id}
    answers = {rid: layout.levels[lid] for aid, rid, lid in rows if aid == current.id}
    requirements = {
        r.id: r for r in Requirement.objects.filter(edition_id=current.edition_id).only("id", "ref", "text", "position")
    }
    for threat in [*layout.threats, Band()] if layout.cross_cutting else layout.threats:
        cells = []
        for area in layout.areas:
            key = (threat.code, area.code)
            cell = current_map.get(key) or Cell(threat=threat.code, area=area.code, requirement_ids=layout.cells[key])
            before = previous_map.get(key) if previous_map is not None else None
            listed = sorted((requirements[rid] for rid in cell.requirement_ids), key=lambda r: r.position)
            cells.append(
                DashboardCell(
                    cell=cell,
                    change=change_between(cell, before)
                    if comparable is None or not cell.requirement_ids or comparable.intersection(cell.requirement_ids)
                    else NOT_COMPARABLE,
                    area_name=area.name,
                    requirements=[
                        {
                            "ref": r.ref,
                            "text": short_text(r.text, 120),
                            "label": answers[r.id].label if r.id in answers else "No response",
                            "colour": answers[r.id].colour if r.id in answers else "grey",
                            "tag": tag_class(answers[r.id].colour if r.id in answers else "grey"),
                        }
                        for r in listed
                    ],
                )
            )
        board.rows.append(DashboardRow(threat=threat, cells=cells))

    answered = [(lid, completed) for aid, _, lid, completed in read if aid == current.id]
    board.progress = Progress(
        total=len(answered),
        completed=sum(1 for _, completed in answered if completed),
        judged=sum(1 for lid, _ in answered if layout.levels[lid].is_assessed),
    )
    board.open_challenges = list(
        Challenge.objects.visible_to(user)
        .filter(assessment=current, status=ChallengeStatus.OPEN)
        .select_related("response__requirement", "raised_by")
        .order_by("created_at", "id")
    )
    board.live_departures = list(
        Departure.objects.visible_to(user)
        .filter(assessment=current, status=DepartureStatus.LIVE)
        .select_related("requirement")
        .order_by("review_date", "id")
    )
    board.overdue_actions = list(
        Action.objects.visible_to(user)
        .filter(assessment=current, status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
        .select_related("requirement")
        .order_by("due_date", "id")
    )
    past_review = (
        Evidence.objects.visible_to(user)
        .filter(force=force, review_by__lt=timezone.localdate())
        .order_by("review_by", "id")
    )
    board.evidence_past_review = list(past_review[:LIST_LIMIT])
    board.evidence_past_review_count = (
        len(board.evidence_past_review) if len(board.evidence_past_review) < LIST_LIMIT else past_review.count()
    )

    top = top_level_ids(layout)
    per_period: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    period_of = {a.id: a.period for a in same_edition}
    for aid, rid, lid in rows:
        per_period[period_of[aid]][rid] = (1 if lid in top else 0, 1)
    board.trends = build_trends(layout, sorted(per_period), per_period)
    return board
