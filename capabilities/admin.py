"""Part B in the admin is read-only: areas and requirements come from `editions/*.yaml` (see
threats/admin.py for why). Capacity planning is editable through the services."""

from django.contrib import admin

from capabilities import services
from capabilities.models import Area, CapacityCapability, Requirement
from core.text import short_text
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


# --- Capacity capabilities: editable, but every save goes through capabilities.services (permission,
# validation and the audit trail), exactly as the pages' saves do; never deleted here (forces' figures
# refer to them).


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
