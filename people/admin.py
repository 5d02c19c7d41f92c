from django.contrib import admin

from people.models import Invitation, Profile


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
