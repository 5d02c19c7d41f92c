"""Part B in the admin is read-only: areas and requirements come from `editions/*.yaml` (see
threats/admin.py for why). Capacity planning is editable through the services."""

from django.contrib import admin

from assessments.selectors import short_text
from capabilities import services
from capabilities.models import Area, CapacityCapability, CapacityCommitment, Requirement
from threats.admin import ReadOnlyAdmin


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "edition", "section", "position"]
    list_filter = ["edition"]
    list_select_related = ["edition"]


@admin.register(Requirement)
class RequirementAdmin(ReadOnlyAdmin):
    list_display = ["ref", "paragraph", "section", "short_text", "edition"]
    list_filter = ["edition", "section", "areas", "threats"]
    list_select_related = ["edition"]
    search_fields = ["ref", "text", "group_heading", "lead_in"]
    ordering = ["edition", "position"]

    @admin.display(description="Text")
    def short_text(self, obj: Requirement) -> str:
        return short_text(obj.text, 80)


# --- Capacity planning: editable, but every save goes through capabilities.services (permission,
# validation and the audit trail), exactly as the pages' saves do. Rows are never deleted here:
# commitments are history of what a force said it could field.


@admin.register(CapacityCapability)
class CapacityCapabilityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "unit", "national_planning_assumption", "paragraphs", "position"]
    search_fields = ["name", "code"]
    ordering = ["position", "name"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CAPABILITY_FIELDS if name in form.cleaned_data}
        saved = services.capacity_capability_save(
            user=request.user, capability=obj if change else None, code=obj.code, **fields
        )
        obj.pk = saved.pk


@admin.register(CapacityCommitment)
class CapacityCommitmentAdmin(admin.ModelAdmin):
    list_display = ["force", "capability", "period", "committed", "available", "notice_period_hours", "as_of"]
    list_filter = ["period", "capability", "force__region"]
    list_select_related = ["force", "capability"]
    search_fields = ["force__name", "capability__name"]

    def get_readonly_fields(self, request, obj=None):
        return ["force", "capability", "period", "updated_at"] if obj is not None else ["updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        figures = {name: form.cleaned_data[name] for name in services.COMMITMENT_FIELDS}
        if change:
            saved = services.capacity_commitment_update(user=request.user, commitment=obj, **figures)
        else:
            saved = services.capacity_commitment_create(
                user=request.user, force=obj.force, capability=obj.capability, period=obj.period, **figures
            )
        obj.pk = saved.pk
