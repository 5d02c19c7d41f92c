"""Forces' capacity returns in the admin: editable, but every save goes through capacity.services
(permission, validation and the audit trail), exactly as the pages' saves do. Rows are never deleted
here: commitments are history of what a force said it could field."""

from django.contrib import admin

from capacity import services
from capacity.models import CapacityCommitment, ExpectedContribution


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


@admin.register(ExpectedContribution)
class ExpectedContributionAdmin(admin.ModelAdmin):
    """Read here, set through capacity.services (permission, validation, audit) like the page."""

    list_display = ["force", "capability", "period", "expected", "official"]
    list_filter = ["period", "capability", "official"]
    list_select_related = ["force", "capability"]
    search_fields = ["force__name", "capability__name"]

    def get_readonly_fields(self, request, obj=None):
        return ["force", "capability", "period", "updated_at"] if obj is not None else ["updated_at"]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved = services.expected_contribution_save(
            user=request.user,
            force=obj.force,
            capability=obj.capability,
            period=obj.period,
            expected=form.cleaned_data["expected"],
            official=form.cleaned_data["official"],
        )
        obj.pk = saved.pk
