"""The chief constable's dashboard (/dashboard/) and the national view (/national/), with their CSV
exports. Views parse the query string, call one selector and render; the API (dashboards/api) calls
the same selectors, so the page and the JSON cannot disagree.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from assessments.matrix import CELL_RULE, CROSS_CUTTING, SPREAD_RULE
from capacity.selectors import capacity_coverage, force_capacity
from collaboration.selectors import agreement_summary, agreements_by_region
from core.links import reverser
from core.periods import PERIOD_RE, current_period
from core.roles import sees_all_forces
from dashboards import exports, selectors, svg
from dashboards.forms import NationalFilterForm
from dashboards.selectors.common import short_label, tag_class
from forces.selectors import force_choices
from inspection import selectors as inspection_selectors

NATIONAL_COLUMNS = [
    ("force", gettext_lazy("Force")),
    ("region", gettext_lazy("Region")),
    ("body", gettext_lazy("Policing body")),
    ("status", gettext_lazy("Status")),
    ("assured", gettext_lazy("Assured")),
    ("departures", gettext_lazy("Live departures")),
    ("overdue", gettext_lazy("Overdue actions")),
]


def requirement_line_html(requirement: dict, url: str) -> str:
    """One requirement of a dashboard cell as an escaped list item: ref (linked), judgement tag, text.
    Built here because a requirement sits in several of the heat map's cells and the page lists a few
    hundred of these lines; every value goes through escape()."""
    return (
        f'<li><a class="govuk-link" href="{escape(url)}">{escape(requirement["ref"])}</a> '
        f'<strong class="govuk-tag {escape(requirement["tag"])}">{escape(requirement["label"])}</strong> '
        f'<span class="govuk-body-s">{escape(requirement["text"])}</span></li>'
    )


def require_national(user) -> None:
    """HMIC inspectors and national administrators only; force roles are refused (403)."""
    if not sees_all_forces(user):
        raise PermissionDenied("The national view is for HMIC inspectors and national administrators")


def trend_charts(trends: selectors.Trends | None, prefix: str, scope: str) -> list[dict]:
    """The two trend charts (per threat, per area) with their descriptions, for the template."""
    if trends is None or trends.is_empty:
        return []
    charts = []
    for key, noun, series in (("threat", "threat", trends.by_threat), ("area", "area", trends.by_area)):
        chart_id = f"{prefix}-trend-{key}"
        title = f"{scope}: share of requirements assured per {noun}, by period"
        charts.append(
            {
                "id": chart_id,
                "title": title,
                "noun": noun,
                "series": series,
                "periods": trends.periods,
                "svg": svg.trend_chart(
                    chart_id=chart_id,
                    title=title,
                    description=svg.trend_description(trends.periods, series, noun),
                    periods=trends.periods,
                    series=series,
                ),
            }
        )
    return charts


# --- The chief constable's dashboard ----------------------------------------------------------------


@require_GET
@login_required
def force_dashboard_view(request):
    """One force's heat map, progress, challenges, departures, overdue actions, evidence past its
    review date and trends. Force roles see their own force (another force's code is a 404);
    national roles choose a force first."""
    user = request.user
    choices = force_choices(user=user)
    code = request.GET.get("force", "")
    if code:
        force = get_object_or_404(choices, code=code)
    else:
        forces = list(choices)
        if not forces:
            raise Http404("You do not act for a force")
        if len(forces) > 1 or sees_all_forces(user):
            return render(request, "dashboards/force_chooser.html", {"forces": forces})
        force = forces[0]
    period = request.GET.get("period") or None
    if period is not None and not PERIOD_RE.match(period):
        raise Http404("No such period")
    board = selectors.force_dashboard(user=user, force=force, period=period)
    if period is not None and board.current is None:
        raise Http404("No assessment for that period")
    if board.current is not None:
        lines: dict[str, str] = {}  # a requirement sits in several cells: build each line once
        page = reverser("assessments:response", int, str)
        for item in board.cells:
            for requirement in item.requirements:
                ref = requirement["ref"]
                if ref not in lines:
                    lines[ref] = requirement_line_html(requirement, page(board.current.pk, ref))
            item.requirements_html = mark_safe("".join(lines[r["ref"]] for r in item.requirements))  # noqa: S308
        evidence_page = reverser("assessments:evidence-detail", int)
        for evidence in board.evidence_past_review:
            evidence.url = evidence_page(evidence.pk)
    return render(
        request,
        "dashboards/force_dashboard.html",
        {
            "board": board,
            "force": force,
            "cell_rule": CELL_RULE,
            "spread_rule": SPREAD_RULE,
            "charts": trend_charts(board.trends, "force", force.name),
            "chosen_force": bool(code),
            "past_review_more": board.evidence_past_review_count - len(board.evidence_past_review),
            "inspection": inspection_selectors.force_inspection(user=user, force_id=force.id, details=False),
            "agreements": agreement_summary(force_id=force.id),
            **_force_capacity(force, board),
        },
    )


def _force_capacity(force, board) -> dict:
    """The force's capacity for the dashboard's period against what it is expected to contribute,
    with the national coverage (four queries; none without an assessment)."""
    if board.current is None:
        return {}
    period = board.current.period
    coverage = capacity_coverage(period=period)
    lines = force_capacity(force_id=force.id, period=period)
    return {
        "capacity_lines": lines,
        "capacity_coverage": f"{coverage['reporting_forces']} of {coverage['total_forces']}",
        "capacity_illustrative": any(line.illustrative for line in lines),
    }


# --- The national view -------------------------------------------------------------------------------


def national_filters(request) -> tuple[NationalFilterForm, dict]:
    """The bound filter form and the selector's keyword arguments (defaults for what is left out)."""
    form = NationalFilterForm(request.GET, user=request.user)
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    edition = data.get("edition") or selectors.default_edition(request.user)
    return form, {
        "edition": edition,
        "period": data.get("period") or None,
        "region": data.get("region"),
        "body_type": data.get("body_type") or None,
        "sort": data.get("sort") or "force",
        "deadline": data.get("deadline") or None,
    }


def _query(view: selectors.NationalView, filters: dict, **changes) -> str:
    params = {
        "edition": view.edition.code if view.edition else "",
        "period": view.period,
        "region": filters["region"].code if filters["region"] else "",
        "body_type": filters["body_type"] or "",
        "sort": filters["sort"],
        "deadline": filters.get("deadline") or "",
    }
    params.update(changes)
    return urlencode({key: value for key, value in params.items() if value})


def _sort_header(view, filters, key: str, label: str) -> dict:
    current = filters["sort"]
    state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
    next_sort = f"-{key}" if state == "ascending" else key
    return {"key": key, "label": label, "aria_sort": state, "href": f"?{_query(view, filters, sort=next_sort)}"}


def matrix_cells_html(items: list, memo: dict | None = None) -> SafeString:
    """One force's cells of the national matrix (one area's threats and its cross-cutting band) as
    escaped HTML: per judgement present, a GOV.UK tag in its colour with the count and the label's
    initials, the full words for screen readers. Built here rather than in the template because the
    matrix has hundreds of cells and the template engine's per-variable cost made it most of the
    page's time; every value is escaped (labels and tags come from the edition's judgement scale,
    which the national administrator edits). Pass the same `memo` for every row: cells repeat."""
    memo = {} if memo is None else memo
    parts = []
    for item in items:
        cell = item.cell
        key = (tuple((level.id, count) for level, count in cell.spread), cell.unassessed, cell.total)
        html = memo.get(key)
        if html is None:
            if cell.is_empty:
                inner = f'<span class="govuk-body-s spr-muted">{escape(_("None"))}</span>'
            else:
                tags = [
                    (
                        tag_class(level.colour),
                        f"{count:d} {short_label(level.label)}",
                        f"{count:d} {level.label.lower()}",
                    )
                    for level, count in cell.spread
                ]
                if cell.unassessed:
                    tags.append((tag_class("grey"), f"{cell.unassessed:d} {short_label(_('Not yet assessed'))}", None))
                inner = "".join(
                    f'<li><strong class="govuk-tag {escape(tag)} spr-cell-tag"><span aria-hidden="true">'
                    f'{escape(short)}</span><span class="govuk-visually-hidden">'
                    f"{escape(full or cell.spread_parts[-1][0])}</span></strong></li>"
                    for tag, short, full in tags
                )
                inner = f'<ul class="govuk-list spr-spread">{inner}</ul>'
            html = memo[key] = f'<td class="govuk-table__cell spr-national__cell">{inner}</td>'
        parts.append(html)
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value went through escape()


def national_heading_html(row, memo: dict) -> SafeString:
    """A force's heading cell of the national matrix (its name, linked to its task list when it has an
    assessment, then its region, status, assured share, live departures, overdue actions and where it
    stands against the period's deadlines) as escaped HTML: written out in Python, as the cells are,
    because the template engine spent more on these 43 lines than on the rest of the page. Pass the
    memo of `matrix_cells_html` (the words repeat from row to row)."""
    force, assessment = row.force, row.assessment
    name = escape(force.name)
    if assessment:
        name = f'<a class="govuk-link" href="{escape(row.url)}">{name}</a>'
    facts = [escape(force.region.name)]
    if assessment:
        status = escape(assessment.get_status_display())
        if assessment.revision > 1:
            status = f"{status} ({escape(_('revision'))} {assessment.revision:d})"
        facts.append(status)
        facts.append(escape(_("%(percent)s%% assured") % {"percent": row.assured_percent}))
        departures, actions = row.live_departures, row.overdue_actions
        facts.append(escape(ngettext("%(n)s live departure", "%(n)s live departures", departures) % {"n": departures}))
        facts.append(escape(ngettext("%(n)s overdue action", "%(n)s overdue actions", actions) % {"n": actions}))
    if row.deadline:
        key = ("deadline", row.deadline.label, row.deadline.colour)
        tag = memo.get(key)
        if tag is None:
            modifier = tag_class(row.deadline.colour)
            tag = memo[key] = (
                f'{escape(_("Deadlines:"))} <strong class="govuk-tag{" " + modifier if modifier else ""}">'
                f"{escape(row.deadline.label)}</strong>"
            )
        facts.append(tag)
    facts_html = " · ".join(facts)
    return mark_safe(  # noqa: S308 - every interpolated value went through escape() or is an int
        f'{name}\n        <span class="govuk-body-s spr-national__facts">{facts_html}</span>'
    )


def _with_urls(records: list[selectors.Listed]) -> None:
    """Each listed record's requirement page."""
    page = reverser("assessments:response", int, str)
    for record in records:
        record.url = page(record.assessment_id, record.ref)


@require_GET
@login_required
def national_view(request):
    """Every force × threat × area for an edition and period, for HMIC and national administrators."""
    require_national(request.user)
    form, filters = national_filters(request)
    view = selectors.national_view(user=request.user, lists=True, **filters)
    _with_urls(view.departures)
    _with_urls(view.overdue_actions)
    areas = view.layout.areas if view.layout else []
    area = next((a for a in areas if a.code == request.GET.get("area")), areas[0] if areas else None)
    if request.GET.get("area") and (area is None or area.code != request.GET["area"]):
        raise Http404("No such area in this edition")
    columns = [_sort_header(view, filters, key, label) for key, label in NATIONAL_COLUMNS]
    for column in columns:
        column["href"] += f"&area={area.code}" if area else ""
    threats = list(view.layout.threats) if view.layout else []
    band = {"code": CROSS_CUTTING, "name": _("All threats (cross-cutting)")}
    cell_columns = []
    if area is not None:
        for threat in [*({"code": t.code, "name": t.name} for t in threats), band]:
            header = _sort_header(view, filters, f"cell:{threat['code']}:{area.code}", f"{threat['name']}")
            header["href"] += f"&area={area.code}"
            cell_columns.append({"threat": threat, **header})
    area_links = [
        {"area": a, "href": f"?{_query(view, filters)}&area={a.code}#matrix", "current": a == area} for a in areas
    ]
    query = _query(view, filters)
    memo: dict = {}
    detail = reverser("assessments:detail", int)
    for row in view.rows:
        if area is not None and row.cells:
            items = [row.cell(t.code, area.code) for t in threats]
            items.append(row.cell(CROSS_CUTTING, area.code))
            row.cells_html = matrix_cells_html([item for item in items if item is not None], memo)
        row.url = detail(row.assessment.pk) if row.assessment else ""
        row.heading_html = national_heading_html(row, memo)
    return render(
        request,
        "dashboards/national.html",
        {
            "form": form,
            "view": view,
            "filters": filters,
            "columns": columns,
            "cell_columns": cell_columns,
            "area": area,
            "area_links": area_links,
            "sort_links": columns[1:],
            "cell_rule": CELL_RULE,
            "spread_rule": SPREAD_RULE,
            "charts": trend_charts(view.trends, "national", _("All forces shown")),
            "export_query": query,
            "capacity_query": _query(view, filters, edition="", sort="", body_type=""),
            "inspection": inspection_selectors.national_inspection(user=request.user, region=filters["region"]),
            "agreement_regions": agreements_by_region(user=request.user),
        },
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def national_export(request):
    """The national matrix as CSV, one row per force × threat × area, with the page's filters."""
    require_national(request.user)
    form, filters = national_filters(request)
    if form.errors:
        raise Http404("Fix the filters on the national view first")
    return exports.national_download(selectors.national_view(user=request.user, **filters))


@require_GET
@login_required
def capacity_export(request):
    """The capacity table (national totals and each region's contribution) as CSV."""
    require_national(request.user)
    form, filters = national_filters(request)
    if form.errors:
        raise Http404("Fix the filters on the national view first")
    period = filters["period"] or current_period()
    summary = selectors.capacity_summary(period=period, region=filters["region"])
    return exports.capacity_download(summary)
