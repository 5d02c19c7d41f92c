from django.contrib import admin

from core.audit import audit_record
from core.models import AuditEntry
from people.models import Invitation, PendingSsoUser, Profile, SsoGroupMapping


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "job_title"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "job_title"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are made and answered on the people pages, where the rules are kept."""

    list_display = ["email", "name", "role", "force", "status", "expires_at"]
    list_filter = ["status", "role"]
    exclude = ["token_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def _mapping_state(mapping: SsoGroupMapping) -> dict:
    return {"group": mapping.group, "role": mapping.role, "force": mapping.force.code if mapping.force else None}


@admin.register(SsoGroupMapping)
class SsoGroupMappingAdmin(admin.ModelAdmin):
    """Single sign-on group mappings, as on /people/sso/ (for national administrators); every change
    is recorded in the audit trail."""

    list_display = ["group", "role", "force", "created_by", "created_at"]
    list_filter = ["role"]
    search_fields = ["group"]
    fields = ["group", "role", "force"]

    def save_model(self, request, obj, form, change):
        before = _mapping_state(SsoGroupMapping.objects.get(pk=obj.pk)) if change else {}
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        after = _mapping_state(obj)
        changes = (
            {key: [before[key], value] for key, value in after.items() if before.get(key) != value} if change else after
        )
        action = AuditEntry.Action.CHANGED if change else AuditEntry.Action.CREATED
        audit_record(actor=request.user, action=action, instance=obj, changes=changes)

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=AuditEntry.Action.DELETED, instance=obj, changes=_mapping_state(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(PendingSsoUser)
class PendingSsoUserAdmin(admin.ModelAdmin):
    """Read-only: access requests are dismissed on the people page."""

    list_display = ["email", "name", "force", "first_seen", "last_seen", "attempts", "dismissed_at"]
    list_filter = ["dismissed_at"]
    search_fields = ["email", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
