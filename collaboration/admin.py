from django.contrib import admin

from collaboration.models import Agreement, AgreementParty


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    readonly_fields = ["confirmed_by", "confirmed_at"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Read in the admin; changes go through the service (pages and API) so they are audited."""

    list_display = ["title", "lead_force", "start_date", "review_date"]
    inlines = [PartyInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
