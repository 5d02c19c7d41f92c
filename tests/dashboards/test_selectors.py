from __future__ import annotations

from assessments.models import AssessmentStatus
from core.csv import csv_text, safe_cell
from dashboards import selectors
from dashboards.svg import trend_chart
from threats.models import JudgementLevel

S = AssessmentStatus


def test_force_dashboard_heat_map_and_change_since_previous_period(build, chief_user, forces, spr2012):
    build("west-midlands", "2024/25", judgement="assured")
    current = build("west-midlands", "2025/26", S.SUBMITTED, judgement="not_assured", extras=1)

    board = selectors.force_dashboard(user=chief_user, force=forces["west-midlands"])

    assert board.current == current
    assert board.previous.period == "2024/25"
    filled = [item for item in board.cells if not item.cell.is_empty]
    assert filled and all(item.cell.label == "Not assured" for item in filled)
    assert all(item.change.code == "worse" and item.change.text == "Worse: was assured" for item in filled)
    assert board.progress.total == spr2012.requirements.count()
    assert len(board.overdue_actions) == 1 and len(board.live_departures) == 1
    assert board.evidence_past_review_count == 1
    assert board.trends.periods == ["2024/25", "2025/26"]
    assert board.trends.by_threat[0].values == [1.0, 0.0]


def test_force_dashboard_chooses_period_and_has_no_previous(build, chief_user, forces):
    build("west-midlands", "2024/25")
    build("west-midlands", "2025/26", S.DRAFT)
    board = selectors.force_dashboard(user=chief_user, force=forces["west-midlands"], period="2024/25")
    assert board.current.period == "2024/25"
    assert board.previous is None
    assert {item.change.code for item in board.cells} == {"none"}


def test_inspector_sees_published_revision_not_later_draft(build, inspector_user, forces):
    """latest_visible keeps the newest revision the user can see: a draft revision hides nothing."""
    from assessments import workflow

    published = build("west-midlands", "2025/26", S.PUBLISHED)
    staff = build.people("west-midlands")["staff"]
    draft = workflow.assessment_revise(user=staff, assessment=published)
    assert draft.revision == 2

    board = selectors.force_dashboard(user=inspector_user, force=forces["west-midlands"])
    assert board.current == published
    rows = selectors.national_view(user=inspector_user, edition=published.edition).rows
    assert next(r for r in rows if r.force.code == "west-midlands").assessment == published


def test_inspector_never_sees_an_unshared_draft_or_submission(build, inspector_user, forces, spr2012):
    build("kent", "2025/26", S.SUBMITTED)  # not shared with HMIC
    build("west-midlands", "2025/26", S.SUBMITTED, share=True)
    view = selectors.national_view(user=inspector_user, edition=spr2012, period="2025/26")
    seen = {row.force.code for row in view.rows if row.assessment}
    assert seen == {"west-midlands"}
    assert selectors.force_dashboard(user=inspector_user, force=forces["kent"]).current is None


def test_national_view_filters_and_sorts(build, inspector_user, spr2012, forces):
    build("west-midlands", "2025/26", judgement="not_assured")
    build("staffordshire", "2025/26", judgement="assured")
    build("kent", "2025/26", judgement="partially_assured")
    region = forces["west-midlands"].region

    view = selectors.national_view(user=inspector_user, edition=spr2012, period="2025/26", region=region)
    assert {row.force.region_id for row in view.rows} == {region.id}
    assert [s.region for s in view.regions] == [region]

    worst_first = selectors.national_view(
        user=inspector_user, edition=spr2012, period="2025/26", sort="cell:terrorism:capacity"
    ).rows
    judged = [row.force.code for row in worst_first if row.assessment]
    assert judged == ["west-midlands", "kent", "staffordshire"]
    assert worst_first[-1].assessment is None  # forces without an assessment go last
    best_first = selectors.national_view(user=inspector_user, edition=spr2012, period="2025/26", sort="-assured")
    assert [r.force.code for r in best_first.rows if r.assessment][0] == "staffordshire"


def test_national_view_region_summary_counts_cells_by_label(build, inspector_user, spr2012):
    build("west-midlands", "2025/26", judgement="partially_assured")
    view = selectors.national_view(user=inspector_user, edition=spr2012, period="2025/26")
    summary = next(s for s in view.regions if s.region.code == "west-midlands")
    assert summary.assessed == 1 and summary.assured_percent == 0
    assert summary.cells_by_label["Partially assured"] > 0


def test_change_between_reads_in_words(spr2012):
    from assessments.matrix import Cell

    levels = {lv.code: lv for lv in JudgementLevel.objects.filter(edition=spr2012)}
    good = Cell("t", "a", [1], level=levels["assured"], judged=1)
    bad = Cell("t", "a", [1], level=levels["not_assured"], judged=1)
    blank = Cell("t", "a", [1], unassessed=1)
    assert selectors.change_between(good, bad).text == "Better: was not assured"
    assert selectors.change_between(bad, good).code == "worse"
    assert selectors.change_between(good, good).code == "same"
    assert selectors.change_between(good, blank).code == "new"
    assert selectors.change_between(good, None).code == "none"


def test_csv_cells_are_injection_safe():
    for value in ("=SUM(A1)", "+1", "-1", "@cmd", "\tx"):
        assert safe_cell(value).startswith("'")
    assert safe_cell("West Midlands") == "West Midlands"
    text = csv_text(["a"], [['=HYPERLINK("x")']])
    assert "'=HYPERLINK" in text


def test_trend_chart_is_labelled_svg_without_inline_style():
    series = [selectors.TrendSeries("terrorism", "Terrorism <&>", [0.5, None])]
    markup = trend_chart(chart_id="c", title="T", description="D", periods=["2024/25", "2025/26"], series=series)
    assert markup.startswith('<svg class="spr-chart" role="img"')
    assert '<title id="c-title">T</title>' in markup and '<desc id="c-desc">D</desc>' in markup
    assert "style=" not in markup
    assert "Terrorism &lt;&amp;&gt;" in markup
    assert "50%" in markup and "no assessment" in markup


def test_trends_cover_at_most_five_periods_up_to_the_one_shown(build, chief_user, forces):
    for year in range(2019, 2026):
        build("west-midlands", f"{year}/{(year + 1) % 100:02d}")
    board = selectors.force_dashboard(user=chief_user, force=forces["west-midlands"], period="2024/25")
    assert board.trends.periods == ["2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]
    assert board.previous.period == "2023/24"
