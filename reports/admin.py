"""Report jobs for support staff: read-only (the worker and the sweeper own their state), with an
action to dispatch stuck jobs again."""

from django.contrib import admin, messages

from reports.models import JobStatus, ReportJob
from reports.services import report_dispatch


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "assessment", "edition", "period", "region", "status", "attempts", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["input_hash", "sha256", "assessment__force__name"]
    list_select_related = ["assessment__force", "edition", "region"]
    actions = ["dispatch_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description="Dispatch the selected queued jobs again")
    def dispatch_again(self, request, queryset):
        sent = sum(report_dispatch(job_id=job.pk) for job in queryset.filter(status=JobStatus.QUEUED))
        self.message_user(request, f"Dispatched {sent} job(s).", messages.INFO)
