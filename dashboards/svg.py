"""Server-rendered SVG charts: no JavaScript, no inline style (the CSP forbids it).

A chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`; every bar
carries its value as text, so nothing is told by colour alone, and the page puts the same numbers in
a table beside it. Colours come from classes in static/css/dashboards.css.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import mark_safe

from dashboards.selectors import TrendSeries

WIDTH = 640
LABEL_WIDTH = 70
BAR_MAX = 440
BAR_HEIGHT = 14
ROW_GAP = 4
HEADING_HEIGHT = 22
GROUP_GAP = 12
#: Period bars cycle through this many classes (spr-chart__bar--0 ... --3).
PALETTE_SIZE = 4


def percent(value: float | None) -> str:
    return "no assessment" if value is None else f"{round(100 * value)}%"


def trend_chart(*, chart_id: str, title: str, description: str, periods: list[str], series: list[TrendSeries]) -> str:
    """Grouped horizontal bars: one group per series (threat or area), one bar per period, each bar
    labelled with its period and percentage."""
    parts: list[str] = []
    y = 0
    for index, item in enumerate(series):
        parts.append(f'<text class="spr-chart__heading" x="0" y="{y + 15}">{escape(item.name)}</text>')
        y += HEADING_HEIGHT
        for position, (period, value) in enumerate(zip(periods, item.values, strict=True)):
            width = 0 if value is None else max(1, round(BAR_MAX * value))
            middle = y + BAR_HEIGHT - 3
            parts.append(f'<text class="spr-chart__period" x="0" y="{middle}">{escape(period)}</text>')
            parts.append(
                f'<rect class="spr-chart__bar spr-chart__bar--{position % PALETTE_SIZE}" x="{LABEL_WIDTH}" '
                f'y="{y}" width="{width}" height="{BAR_HEIGHT}"><title>{escape(item.name)}, {escape(period)}: '
                f"{percent(value)} assured</title></rect>"
            )
            parts.append(
                f'<text class="spr-chart__value" x="{LABEL_WIDTH + width + 6}" y="{middle}">{percent(value)}</text>'
            )
            y += BAR_HEIGHT + ROW_GAP
        if index != len(series) - 1:
            y += GROUP_GAP
    height = max(y, 20)
    axis = f'<line class="spr-chart__axis" x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}"></line>'
    return mark_safe(  # noqa: S308 — every piece of text above is escaped
        f'<svg class="spr-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'focusable="false">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"{axis}{''.join(parts)}</svg>"
    )


def trend_description(periods: list[str], series: list[TrendSeries], noun: str) -> str:
    """The chart's numbers in words, for its <desc>."""
    if not periods:
        return "No assessments yet."
    lines = []
    for item in series:
        values = ", ".join(f"{period} {percent(value)}" for period, value in zip(periods, item.values, strict=True))
        lines.append(f"{item.name}: {values}")
    return f"Share of requirements judged assured per {noun}, by period. " + "; ".join(lines) + "."
