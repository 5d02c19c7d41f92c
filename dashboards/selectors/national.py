"""HMIC's national view: every force × threat × C, the region summary, capacity against the national
planning assumptions (capacity.selectors), departures and overdue actions across forces."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.matrix import CROSS_CUTTING, Cell, Layout, edition_layout, heat_maps
from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Assessment,
    DepartingParty,
    Departure,
    DepartureStatus,
    Response,
)
from capabilities.editions.lineage import edition_chain
from capacity.selectors import CapacitySummary, capacity_summary
from core.periods import current_period
from core.roles import reads_only_shared
from cycle.selectors import deadlines_for
from cycle.standing import AssessmentStanding, cycle_status, standing_of
from dashboards.selectors.common import (
    TREND_PERIODS,
    Crossing,
    EditionBreak,
    Trends,
    build_trends,
    edition_breaks,
    latest_visible,
    short_label,
    tag_class,
    top_level_ids,
)
from forces.models import BodyType, Force, PolicingBody, Region
from threats.models import Edition

# --- The national view ---------------------------------------------------------------------------


@dataclass
class NationalCell:
    cell: Cell
    short: str = ""
    tag: str = ""


@dataclass
class ForceRow:
    force: Force
    body_type: str
    assessment: Assessment | None
    cells: list[NationalCell]  # threat × area, cross-cutting requirements left out (they are in `band`)
    band: list[NationalCell] = field(default_factory=list)  # per area: the requirements serving every threat
    assured: int = 0  # requirements judged at the scale's top level
    total: int = 0
    live_departures: int = 0
    overdue_actions: int = 0
    deadline: AssessmentStanding | None = None  # against the period's deadlines (None: none set)
    cells_html: str = ""  # filled by the page view (dashboards.views.matrix_cells_html)
    url: str = ""  # the assessment's task list, filled by the page view

    @property
    def assured_percent(self) -> int | None:
        return round(100 * self.assured / self.total) if self.total else None

    @property
    def body_type_label(self) -> str:
        return BodyType(self.body_type).label if self.body_type in BodyType.values else "Not recorded"

    def cell(self, threat: str, area: str) -> NationalCell | None:
        for item in [*self.cells, *self.band]:
            if item.cell.threat == threat and item.cell.area == area:
                return item
        return None


@dataclass
class RegionSummary:
    region: Region
    forces: int = 0
    assessed: int = 0
    assured: int = 0
    total: int = 0
    cells_by_label: dict[str, int] = field(default_factory=dict)
    #: (label, colour, count) of every requirement judged in the region's assessments, lowest first
    judgements: list[tuple[str, str, int]] = field(default_factory=list)
    live_departures: int = 0
    overdue_actions: int = 0

    @property
    def assured_percent(self) -> int | None:
        return round(100 * self.assured / self.total) if self.total else None


@dataclass
class Listed:
    """A live departure or an overdue action as the national view lists it (plain values: there can
    be hundreds, and the page shows four columns of each)."""

    assessment_id: int
    force_name: str
    ref: str
    detail: str  # who departs (a departure) or the owner (an action)
    date: object  # the review date or the due date
    url: str = ""  # the requirement's page, filled by the view


@dataclass
class NationalView:
    edition: Edition | None
    period: str
    periods: list[str]
    layout: Layout | None
    rows: list[ForceRow]
    regions: list[RegionSummary]
    departures: list[Listed]  # empty unless asked for (`lists=True`)
    overdue_actions: list[Listed]
    trends: Trends | None
    capacity: CapacitySummary
    labels: list[tuple[str, str, str]]  # label, short label, tag class: the key to the table
    #: Where the trends' periods change edition, oldest first (earlier editions are compared through
    #: the mappings); empty when the trends stay within one edition.
    edition_breaks: list[EditionBreak] = field(default_factory=list)
    #: Forces assessed this period against another edition: [(title, published_on, how many)]. The
    #: table holds one edition; the page says who is elsewhere rather than mixing them in a column.
    other_editions: list[tuple[str, object, int]] = field(default_factory=list)

    @property
    def columns(self) -> list[tuple]:
        """(threat, area) pairs in table order."""
        if self.layout is None:
            return []
        return [(t, a) for t in self.layout.threats for a in self.layout.areas]


def national_periods(*, user, edition: Edition) -> list[str]:
    """Periods with at least one assessment of the edition the user may see, newest first."""
    return list(
        Assessment.objects.visible_to(user)
        .filter(edition=edition)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


def _forces(*, region: Region | None, body_type: str | None) -> QuerySet[Force]:
    """The forces shown, with the type of their policing body in office today (`current_body_type`,
    "" if none is recorded) read in the same query."""
    current = PolicingBody.objects.filter(force=OuterRef("pk"), effective_to__isnull=True).values("body_type")[:1]
    forces = (
        Force.objects.select_related("region")
        .annotate(current_body_type=Coalesce(Subquery(current), Value("")))
        .order_by("name")
    )
    if region is not None:
        forces = forces.filter(region=region)
    if body_type:
        forces = forces.filter(current_body_type=body_type)
    return forces


def _sort(rows: list[ForceRow], sort: str) -> list[ForceRow]:
    """Sort by a column key (`force`, `region`, ..., or `cell:<threat>:<area>`); `-` in front for
    descending. Rows with nothing to compare (no assessment, nothing judged) always go last."""
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    by_name = sorted(rows, key=lambda row: row.force.name)
    if key == "force":
        return list(reversed(by_name)) if descending else by_name
    if key.startswith("cell:") and key.count(":") == 2:
        _, threat, area = key.split(":")

        def value(row):
            item = row.cell(threat, area)
            return item.cell.score if item is not None else None
    else:
        value = {
            "region": lambda row: row.force.region.name,
            "body": lambda row: row.body_type,
            "status": lambda row: row.assessment.status if row.assessment else None,
            "assured": lambda row: row.assured_percent,
            "departures": lambda row: row.live_departures if row.assessment else None,
            "overdue": lambda row: row.overdue_actions if row.assessment else None,
        }.get(key)
        if value is None:
            return by_name
    present = [row for row in by_name if value(row) is not None]
    missing = [row for row in by_name if value(row) is None]
    return sorted(present, key=value, reverse=descending) + missing


def _listed(queryset: QuerySet, detail: str, date: str, *, order: tuple, choices=None) -> list[Listed]:
    """Departures or actions as plain values, in `order`."""
    labels = dict(choices.choices) if choices is not None else {}
    rows = queryset.values_list("assessment_id", "assessment__force__name", "requirement__ref", detail, date)
    return [
        Listed(aid, force, ref, labels.get(value, value), when)
        for aid, force, ref, value, when in rows.order_by(*order)
    ]


def national_view(
    *,
    user,
    edition: Edition | None,
    period: str | None = None,
    region: Region | None = None,
    body_type: str | None = None,
    sort: str = "force",
    lists: bool = False,
    deadline: str | None = None,
) -> NationalView:
    """Every force × threat × area for one edition and period, filtered by region and policing body
    type, with region totals, departures and overdue actions across forces, national trends and the
    capacity totals. `deadline` (a cycle.standing.Standing value) keeps only the forces standing so
    against the period's deadlines (a force with no assessment counts as not started; for an HMIC
    inspector, a force with no assessment they may read has no standing).
    Only assessments visible to the user count. About 17 queries, however many
    forces, periods, responses or evidence items. With `lists` (only the page shows them) the
    departures and overdue actions themselves are read, and counted from what was read."""
    periods = national_periods(user=user, edition=edition) if edition else []
    period = period or (periods[0] if periods else current_period())
    forces = list(_forces(region=region, body_type=body_type))
    force_ids = [force.id for force in forces]
    if edition is None:
        return NationalView(
            None, period, periods, None, [], [], [], [], None, capacity_summary(period=period, region=region), []
        )
    layout = edition_layout(edition, band=True)
    scoped = latest_visible(user).filter(edition=edition, force_id__in=force_ids)
    # This period's assessments of every edition in one query: this edition's fill the matrix, the
    # others are counted (the page says how many forces were assessed against another edition).
    this_period = list(latest_visible(user).filter(period=period, force_id__in=force_ids).select_related("edition"))
    assessments = {a.force_id: a for a in this_period if a.edition_id == edition.pk}
    elsewhere: dict[tuple[str, object], set[int]] = defaultdict(set)
    for other in this_period:
        if other.edition_id != edition.pk:
            elsewhere[(other.edition.title, other.edition.published_on)].add(other.force_id)
    ids = [a.id for a in assessments.values()]
    answers = list(
        Response.objects.filter(assessment_id__in=ids)
        .values_list("assessment_id", "requirement_id", "judgement_id")
        .order_by()  # no ORDER BY: Response's default ordering would join and sort by requirement
    )
    maps = heat_maps(layout, answers)
    top = top_level_ids(layout)
    assured = defaultdict(int)
    totals = defaultdict(int)
    levels_of: dict[int, Counter] = defaultdict(Counter)
    for aid, _, lid in answers:
        totals[aid] += 1
        assured[aid] += lid in top
        levels_of[aid][lid] += 1
    today = timezone.localdate()
    departures_qs = Departure.objects.visible_to(user).filter(assessment_id__in=ids, status=DepartureStatus.LIVE)
    actions_qs = Action.objects.visible_to(user).filter(
        assessment_id__in=ids, status__in=OPEN_ACTION_STATUSES, due_date__lt=today
    )
    if lists:  # the page lists them all, so it counts them from the lists
        departures = _listed(
            departures_qs,
            "departing_party",
            "review_date",
            order=("assessment__force__name", "review_date", "id"),
            choices=DepartingParty,
        )
        overdue = _listed(actions_qs, "owner", "due_date", order=("due_date", "assessment__force__name", "id"))
        departure_counts = Counter(record.assessment_id for record in departures)
        action_counts = Counter(record.assessment_id for record in overdue)
    else:
        departures, overdue = [], []
        departure_counts = dict(departures_qs.values_list("assessment_id").annotate(n=Count("id")).order_by())
        action_counts = dict(actions_qs.values_list("assessment_id").annotate(n=Count("id")).order_by())

    rows = []
    for force in forces:
        assessment = assessments.get(force.id)
        cells, band = [], []
        if assessment is not None:
            if assessment.id in maps:
                heat = maps[assessment.id]
                cells = [NationalCell(heat[(t.code, a.code)]) for t in layout.threats for a in layout.areas]
                band = [NationalCell(heat[(CROSS_CUTTING, a.code)]) for a in layout.areas]
            else:  # an assessment with no responses (an edition without requirements)
                cells = [
                    NationalCell(Cell(t.code, a.code, layout.cells[(t.code, a.code)]))
                    for t in layout.threats
                    for a in layout.areas
                ]
                band = [
                    NationalCell(Cell(CROSS_CUTTING, a.code, layout.cells[(CROSS_CUTTING, a.code)]))
                    for a in layout.areas
                ]
            for item in [*cells, *band]:
                item.short = short_label(item.cell.label)
                item.tag = tag_class(item.cell.colour)
        rows.append(
            ForceRow(
                force=force,
                body_type=force.current_body_type,
                assessment=assessment,
                cells=cells,
                band=band,
                assured=assured[assessment.id] if assessment else 0,
                total=totals[assessment.id] if assessment else 0,
                live_departures=departure_counts.get(assessment.id, 0) if assessment else 0,
                overdue_actions=action_counts.get(assessment.id, 0) if assessment else 0,
            )
        )
    deadlines = deadlines_for(period=period)
    # An HMIC inspector cannot tell a force that has not started from one that has not shared its
    # work yet: a force with no assessment they may read has no standing for them.
    unknowable = reads_only_shared(user)
    for row in rows:
        if row.assessment is None and unknowable:
            continue
        row.deadline = standing_of(
            status=cycle_status(row.assessment) if row.assessment else None, deadlines=deadlines, today=today
        )
    if deadline:
        rows = [row for row in rows if row.deadline is not None and row.deadline.overall == deadline]
    for row in rows:
        if row.assessment is not None:
            # Already fetched: templates and the API follow these without a query per row.
            row.assessment.force = row.force
            row.assessment.edition = edition

    summaries: dict[int, RegionSummary] = {}
    region_levels: dict[int, Counter] = {}
    for row in rows:
        summary = summaries.setdefault(row.force.region_id, RegionSummary(region=row.force.region))
        summary.forces += 1
        if row.assessment is None:
            continue
        summary.assessed += 1
        summary.assured += row.assured
        summary.total += row.total
        summary.live_departures += row.live_departures
        summary.overdue_actions += row.overdue_actions
        for item in row.cells:
            summary.cells_by_label[item.cell.label] = summary.cells_by_label.get(item.cell.label, 0) + 1
        region_levels.setdefault(row.force.region_id, Counter()).update(levels_of[row.assessment.id])
    ordered = sorted(layout.levels.values(), key=lambda level: (level.score is None, level.score or 0, level.id))
    for region_id, counts in region_levels.items():
        summaries[region_id].judgements = [
            (level.label, level.colour, counts[level.id]) for level in ordered if counts[level.id]
        ]

    # National trends: assured and answered counts per period and requirement, in SQL (rows grow
    # with periods × requirements, never with forces).
    trend_periods = [p for p in periods if p <= period][:TREND_PERIODS]
    trend_rows = (
        Response.objects.filter(assessment__in=scoped.filter(period__in=trend_periods))
        .values("assessment__period", "requirement_id")
        .annotate(assured=Count("judgement", filter=Q(judgement_id__in=top)), answered=Count("judgement"))
        .order_by()
    )
    per_period: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for row in trend_rows:
        per_period[row["assessment__period"]][row["requirement_id"]] = (row["assured"], row["answered"])
    breaks = _earlier_edition_trends(user, edition, layout, top, force_ids, trend_periods, per_period)
    other_editions = [
        (title, published_on, len(force_set))
        for (title, published_on), force_set in sorted(elsewhere.items(), key=lambda item: item[0][1], reverse=True)
    ]

    labels = []
    for level in sorted(layout.levels.values(), key=lambda level: (level.score is None, -(level.score or 0))):
        labels.append((level.label, short_label(level.label), tag_class(level.colour)))

    return NationalView(
        edition=edition,
        period=period,
        periods=periods,
        layout=layout,
        rows=_sort(rows, sort or "force"),
        regions=sorted(summaries.values(), key=lambda s: s.region.name),
        departures=departures,
        overdue_actions=overdue,
        trends=build_trends(layout, sorted(per_period), per_period),
        capacity=capacity_summary(period=period, region=region),
        labels=labels,
        edition_breaks=breaks,
        other_editions=other_editions,
    )


def _earlier_edition_trends(user, edition, layout, top, force_ids, trend_periods, per_period):
    """Add to `per_period` the periods before this edition, assessed against the edition it follows
    (or the one that follows, and so on down the line), read through the mappings (requirements that
    mean the same all the way; a level counts as assured when its code is that of an assured level
    now). A force assessed against two of them in one period counts under the newer. Answers the
    edition changes among the periods shown (oldest first; empty when there is nothing earlier to
    show). Four queries when there is, however many editions the chain holds."""
    if edition.follows_id is None or not trend_periods or len(trend_periods) >= TREND_PERIODS:
        return []
    chain = edition_chain(edition)
    crossing = Crossing.along(chain)
    first = min(trend_periods)
    top_codes = {layout.levels[level_id].code for level_id in top}
    earlier_top = [level_id for level_id, code in crossing.level_codes.items() if code in top_codes]
    order = {row.pk: index for index, row in enumerate(chain)}
    candidates = latest_visible(user).filter(edition_id__in=list(order)[1:], force_id__in=force_ids, period__lt=first)
    newer = Assessment.objects.visible_to(user).filter(
        force_id=OuterRef("force_id"),
        period=OuterRef("period"),
        edition_id__in=list(order)[1:],
        edition__published_on__gt=OuterRef("edition__published_on"),
    )
    earlier = candidates.filter(~Exists(newer))
    rows = list(
        Response.objects.filter(assessment__in=earlier)
        .values("assessment__period", "assessment__edition_id", "requirement_id")
        .annotate(assured=Count("judgement", filter=Q(judgement_id__in=earlier_top)), answered=Count("judgement"))
        .order_by()
    )
    wanted = sorted({row["assessment__period"] for row in rows}, reverse=True)[: TREND_PERIODS - len(trend_periods)]
    shown: dict[str, Edition] = dict.fromkeys(trend_periods, edition)
    for row in rows:
        period = row["assessment__period"]
        if period not in wanted:
            continue
        # The newest edition of the period stands for it in the markers (forces may differ in a year
        # of change; the counts include them all).
        row_edition = chain[order[row["assessment__edition_id"]]]
        if period not in shown or order[row_edition.pk] < order[shown[period].pk]:
            shown[period] = row_edition
        for new_id in crossing.requirements.get(row["requirement_id"], ()):
            counts = per_period[period]
            assured, answered = counts.get(new_id, (0, 0))
            counts[new_id] = (assured + row["assured"], answered + row["answered"])
    if not wanted:
        return []
    return edition_breaks(list(shown.items()))
