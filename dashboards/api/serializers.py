"""What the dashboard API shows. Read-only serializers over plain dicts built by `dashboards.api.data`
from the same selectors the pages use."""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import AssessmentStatus
from cycle.standing import Standing
from forces.models import BodyType

CHANGE_CODES = ["better", "worse", "same", "new", "none"]


class CodeNameSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SpreadSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class CellSerializer(serializers.Serializer):
    """One heat-map cell: the lowest judgement of the requirements serving both its threat and area."""

    threat = serializers.CharField(help_text="The threat's code")
    area = serializers.CharField(help_text="The area's code")
    code = serializers.CharField(help_text="The judgement level's code; empty when nothing is judged yet")
    label = serializers.CharField(help_text="The judgement's label, or 'Not yet assessed' / 'No requirements'")
    colour = serializers.CharField(help_text="The scale colour; never the only signal: `label` says the same")
    judged = serializers.IntegerField()
    unassessed = serializers.IntegerField()
    total = serializers.IntegerField()
    spread = SpreadSerializer(many=True, help_text="How many requirements sit at each judgement, lowest first.")
    spread_text = serializers.CharField(help_text="The spread in words, e.g. “1 not assured · 4 assured”.")


class DashboardCellSerializer(CellSerializer):
    change = serializers.ChoiceField(choices=CHANGE_CODES, help_text="Compared with the previous period")
    change_text = serializers.CharField()
    requirements = serializers.ListField(child=serializers.CharField(), help_text="Refs of the cell's requirements")


class AssessmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.CharField()
    period = serializers.CharField()
    revision = serializers.IntegerField()
    status = serializers.ChoiceField(choices=AssessmentStatus.choices)


class DashboardProgressSerializer(serializers.Serializer):
    completed = serializers.IntegerField()
    judged = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()


class TrendSeriesSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    values = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        help_text="Share of requirements assured (0 to 1) per period, in `periods` order; null: no assessment",
    )


class TrendsSerializer(serializers.Serializer):
    periods = serializers.ListField(child=serializers.CharField())
    by_threat = TrendSeriesSerializer(many=True)
    by_area = TrendSeriesSerializer(many=True)


class ForceSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class FindingCountsSerializer(serializers.Serializer):
    """Findings by kind."""

    cause_of_concern = serializers.IntegerField()
    area_for_improvement = serializers.IntegerField()
    recommendation = serializers.IntegerField()
    good_practice = serializers.IntegerField()

    def get_fields(self):
        # The keys are the kinds' codes, which have hyphens: `cause-of-concern`, ...
        return {name.replace("_", "-"): field for name, field in super().get_fields().items()}


class ForceInspectionSerializer(serializers.Serializer):
    """The force's HMIC evidence requests and findings, counted (every period)."""

    open_requests = serializers.IntegerField()
    overdue_requests = serializers.IntegerField()
    findings = FindingCountsSerializer()
    open_findings = serializers.IntegerField()


class AgreementCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    review_overdue = serializers.IntegerField()


class ForceDashboardSerializer(serializers.Serializer):
    """One force's dashboard. `assessment` is null when there is none you can see (then `cells` is empty)."""

    force = ForceSummarySerializer()
    assessment = AssessmentRefSerializer(allow_null=True)
    previous_assessment = AssessmentRefSerializer(allow_null=True)
    periods = serializers.ListField(child=serializers.CharField(), help_text="Periods you can see, newest first")
    threats = CodeNameSerializer(many=True)
    cross_cutting_threat = serializers.CharField(
        allow_null=True,
        help_text="The threat code of the band of requirements that serve every threat (counted once), if any.",
    )
    areas = CodeNameSerializer(many=True)
    cell_rule = serializers.CharField()
    cells = DashboardCellSerializer(many=True)
    progress = DashboardProgressSerializer()
    open_challenges = serializers.IntegerField()
    live_departures = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    evidence_past_review = serializers.IntegerField()
    agreements = AgreementCountsSerializer(help_text="The force's collaboration agreements, and those past review")
    trends = TrendsSerializer(allow_null=True)
    inspection = ForceInspectionSerializer(allow_null=True)


class NationalForceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()
    policing_body_type = serializers.ChoiceField(choices=[("", "Not recorded"), *BodyType.choices])
    assessment = AssessmentRefSerializer(allow_null=True)
    assured_percent = serializers.IntegerField(allow_null=True)
    live_departures = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()
    deadline = serializers.ChoiceField(
        choices=Standing.choices,
        allow_null=True,
        help_text="Where the force stands against the period's deadlines (null: no deadlines set)",
    )
    cells = CellSerializer(many=True)


class RegionSummarySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    forces = serializers.IntegerField()
    assessed = serializers.IntegerField()
    assured_percent = serializers.IntegerField(allow_null=True)
    live_departures = serializers.IntegerField()
    overdue_actions = serializers.IntegerField()


class CapacityLineSerializer(serializers.Serializer):
    capability = serializers.CharField(help_text="The capability's code")
    name = serializers.CharField()
    unit = serializers.CharField()
    national_planning_assumption = serializers.IntegerField()
    committed = serializers.IntegerField()
    available = serializers.IntegerField()
    forces = serializers.IntegerField(help_text="Forces that reported figures")
    longest_notice_hours = serializers.IntegerField(allow_null=True)
    shortfall_committed = serializers.IntegerField()
    shortfall_available = serializers.IntegerField()
    expected = serializers.IntegerField(allow_null=True, help_text="Sum of expected contributions (null: none set)")
    shortfall_against_expected = serializers.IntegerField(
        help_text="What reporting forces committed short of their expected contributions"
    )
    total_forces = serializers.IntegerField(help_text="Forces the service has (in the scope)")
    forces_not_reported = serializers.IntegerField()
    expected_not_reported = serializers.IntegerField(help_text="Expected contributions of forces not reported")
    complete = serializers.BooleanField(help_text="Every force has reported")
    meets = serializers.BooleanField(allow_null=True, help_text="Null until every force has reported")
    illustrative = serializers.BooleanField(help_text="A figure in the line is illustrative, not official")


class RegionCapacitySerializer(serializers.Serializer):
    region = serializers.CharField()
    lines = CapacityLineSerializer(many=True)


class CapacitySummarySerializer(serializers.Serializer):
    period = serializers.CharField()
    total_forces = serializers.IntegerField()
    reporting_forces = serializers.IntegerField()
    complete = serializers.BooleanField()
    illustrative = serializers.BooleanField()
    national = CapacityLineSerializer(many=True)
    by_region = RegionCapacitySerializer(many=True)


class RegionFindingsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    findings = FindingCountsSerializer()


class ForceFindingsSerializer(RegionFindingsSerializer):
    open_requests = serializers.IntegerField()
    overdue_requests = serializers.IntegerField()


class NationalInspectionSerializer(serializers.Serializer):
    """HMIC findings by kind per region (every region shown) and per force (those with a finding or
    an open evidence request)."""

    regions = RegionFindingsSerializer(many=True)
    forces = ForceFindingsSerializer(many=True)


class NationalSerializer(serializers.Serializer):
    edition = serializers.CharField(allow_null=True)
    period = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    region = serializers.CharField(allow_null=True, help_text="The region filter's code, if any")
    policing_body_type = serializers.CharField(allow_null=True)
    cell_rule = serializers.CharField()
    threats = CodeNameSerializer(many=True)
    cross_cutting_threat = serializers.CharField(
        allow_null=True,
        help_text="The threat code of the band of requirements that serve every threat (counted once), if any.",
    )
    areas = CodeNameSerializer(many=True)
    forces = NationalForceSerializer(many=True)
    regions = RegionSummarySerializer(many=True)
    capacity = CapacitySummarySerializer()
    trends = TrendsSerializer(allow_null=True)
    inspection = NationalInspectionSerializer(allow_null=True)
