"""The HMIC workspace in the admin: read only. Requests and findings are written by inspectors and
answered by forces through inspection.services (permission, validation, audit) on the pages and the
API; the admin changes and deletes nothing."""

from django.contrib import admin

from inspection.models import EvidenceRequest, Finding


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceRequest)
class EvidenceRequestAdmin(ReadOnlyAdmin):
    list_display = ["force", "due_date", "status", "raised_by", "created_at"]
    list_filter = ["status", "force__region"]
    list_select_related = ["force", "raised_by"]
    search_fields = ["force__name", "text"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["force", "kind", "period", "status", "found_on"]
    list_filter = ["kind", "status", "period", "force__region"]
    list_select_related = ["force"]
    search_fields = ["force__name", "text"]
