"""Editions in the admin are read-only: they come from `editions/*.yaml`.

The files are the record (reviewed in version control, checked whole by the loader, reloaded on every
deployment), so an edit made here would be silently overwritten by the next `load_editions`. To
change an edition, change its file and load it again.
"""

from django.contrib import admin

from threats.models import Edition, JudgementLevel, Threat


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: no add, change or delete for anyone, superusers included."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JudgementLevelInline(ReadOnlyInline):
    model = JudgementLevel
    fields = ["position", "code", "label", "colour", "score"]


class ThreatInline(ReadOnlyInline):
    model = Threat
    fields = ["position", "code", "name", "nsra_tier", "paragraph"]


@admin.register(Edition)
class EditionAdmin(ReadOnlyAdmin):
    list_display = ["title", "code", "published_on", "status", "publisher"]
    list_filter = ["status"]
    search_fields = ["code", "title"]
    inlines = [JudgementLevelInline, ThreatInline]


@admin.register(JudgementLevel)
class JudgementLevelAdmin(ReadOnlyAdmin):
    list_display = ["label", "code", "edition", "colour", "score", "position"]
    list_filter = ["edition"]
    list_select_related = ["edition"]


@admin.register(Threat)
class ThreatAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "edition", "nsra_tier", "paragraph", "position"]
    list_filter = ["edition", "nsra_tier"]
    list_select_related = ["edition"]
    search_fields = ["code", "name", "description"]
