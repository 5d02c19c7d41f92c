from allauth.mfa import admin as allauth_mfa_admin
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import ApiToken, AuditEntry, WorkerHeartbeat
from core.signin import mfa_reset


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "enqueued_at", "seen_at"]
    readonly_fields = ["token", "hostname", "enqueued_at", "seen_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, to read only: the database refuses changes anyway."""

    list_display = ["id", "at", "actor_name", "action", "model", "object_id", "object_repr"]
    list_filter = ["action", "model"]
    search_fields = ["actor_name", "object_repr", "object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# A person's second factors are reset (a lost phone) through an audited action, never deleted row by row.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(allauth_mfa_admin.AuthenticatorAdmin):
    actions = ["reset_factors"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Reset the second factors of these people (they set one up again)"))
    def reset_factors(self, request, queryset):
        people = {authenticator.user for authenticator in queryset.select_related("user")}
        for person in people:
            mfa_reset(person=person, by=request.user)
        self.message_user(
            request,
            ngettext(
                "Reset the second factors of %(count)d person.",
                "Reset the second factors of %(count)d people.",
                len(people),
            )
            % {"count": len(people)},
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """People's API tokens, to read: their owners make and revoke them (the hash is no use to anyone)."""

    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    exclude = ["key_hash"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
