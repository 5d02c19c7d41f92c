"""Part B in the admin is read-only: areas and requirements come from `editions/*.yaml` (see
threats/admin.py for why)."""

from django.contrib import admin

from capabilities.models import Area, Requirement
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
        return obj.text if len(obj.text) <= 80 else f"{obj.text[:80]}…"
