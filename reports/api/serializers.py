"""Report jobs in the API: the input of a request and the job as clients see it."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from reports.models import JobStatus, ReportJob, ReportKind
from reports.selectors import job_message

# Patterns, not enums: drf-spectacular turns every enum into a component named after the field, and
# "kind" and "status" already name other apps' enums (renaming theirs would break their clients).
KIND_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(ReportKind.values)})$",
    "description": "One of: " + ", ".join(ReportKind.values),
}
STATUS_SCHEMA = {
    "type": "string",
    "pattern": f"^({'|'.join(JobStatus.values)})$",
    "description": "One of: " + ", ".join(JobStatus.values),
}


@extend_schema_field(KIND_SCHEMA)
class KindField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=ReportKind.choices, **kwargs)


@extend_schema_field(STATUS_SCHEMA)
class StatusField(serializers.CharField):
    pass


class ReportRequestSerializer(serializers.Serializer):
    """`{"kind": "accountability", "assessment": 12}` or
    `{"kind": "national", "edition": "spr-2012", "period": "2025/26", "region": "west-midlands"}`."""

    kind = KindField()
    assessment = serializers.IntegerField(required=False, min_value=1, help_text="For an accountability report")
    edition = serializers.SlugField(required=False, help_text="For a national overview: the edition's code")
    period = serializers.CharField(required=False, max_length=7, help_text="For a national overview: e.g. 2025/26")
    region = serializers.SlugField(
        required=False, allow_null=True, help_text="For a national overview: a region's code; omit for every region"
    )

    def validate(self, attrs):
        errors = {}
        if attrs["kind"] == ReportKind.ACCOUNTABILITY and not attrs.get("assessment"):
            errors["assessment"] = ["Choose the assessment to report on"]
        if attrs["kind"] == ReportKind.NATIONAL:
            if not attrs.get("edition"):
                errors["edition"] = ["Choose the SPR edition"]
            if not attrs.get("period"):
                errors["period"] = ["Enter the reporting period, like 2025/26"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ReportJobSerializer(serializers.ModelSerializer):
    kind = KindField(read_only=True)
    status = StatusField(read_only=True)
    # Null where the kind of report has none (an accountability report names no edition or region).
    edition = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    download = serializers.SerializerMethodField()
    message = serializers.SerializerMethodField()

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "assessment",
            "edition",
            "period",
            "region",
            "status",
            "progress",
            "attempts",
            "error",
            "input_hash",
            "sha256",
            "size",
            "pages",
            "created_at",
            "dispatched_at",
            "started_at",
            "finished_at",
            "download",
            "message",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_download(self, job: ReportJob) -> str | None:
        """The PDF's URL once the job is done, else null."""
        if job.status != ReportJob.Status.DONE:
            return None
        return reverse("api-report-download", args=[job.pk], request=self.context.get("request"))

    def get_message(self, job: ReportJob) -> str:
        return job_message(job)
