"""Reads behind the chief constable's dashboard and the national view.

Every read starts from `Model.objects.visible_to(user)`, so a force role never sees another force's
rows and an HMIC inspector sees only published assessments or submitted ones shared with HMIC. Heat
maps come from `assessments.matrix` (the one computation, stated by `CELL_RULE`). Each selector
runs a fixed number of queries however many forces, periods, responses or evidence items there are
(tests/dashboards hold them to it).

`common` holds what both share, `force` the chief constable's dashboard, `national` the national
view; capacity against the planning assumptions is capacity.selectors, re-exported here for the
views; callers import from this package.
"""

from capacity.selectors import CapacityLine, CapacitySummary, capacity_summary
from dashboards.selectors.common import (
    LIST_LIMIT,
    TREND_PERIODS,
    Change,
    Trends,
    TrendSeries,
    change_between,
    default_edition,
    latest_visible,
)
from dashboards.selectors.force import (
    DashboardCell,
    DashboardRow,
    ForceDashboard,
    Progress,
    force_dashboard,
)
from dashboards.selectors.national import (
    ForceRow,
    Listed,
    NationalCell,
    NationalView,
    RegionSummary,
    national_periods,
    national_view,
)

__all__ = [
    "LIST_LIMIT",
    "TREND_PERIODS",
    "CapacityLine",
    "CapacitySummary",
    "Change",
    "DashboardCell",
    "DashboardRow",
    "ForceDashboard",
    "ForceRow",
    "Listed",
    "NationalCell",
    "NationalView",
    "Progress",
    "RegionSummary",
    "TrendSeries",
    "Trends",
    "capacity_summary",
    "change_between",
    "default_edition",
    "force_dashboard",
    "latest_visible",
    "national_periods",
    "national_view",
]
