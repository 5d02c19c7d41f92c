"""The annual cycle in the admin: deadlines are saved through cycle.services (permission, order of the
dates, audit) as on the pages; reminders are a read-only record of what was sent to whom."""

from django.contrib import admin

from cycle import services
from cycle.models import PeriodDeadlines, Reminder


@admin.register(PeriodDeadlines)
class PeriodDeadlinesAdmin(admin.ModelAdmin):
    list_display = ["period", "submit_by", "respond_by", "sign_off_by", "publish_by", "updated_at"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "period"] if obj is not None else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        saved, _created = services.period_deadlines_save(
            user=request.user,
            period=obj.period,
            **{name: form.cleaned_data[name] for name in services.DEADLINE_FIELDS},
        )
        obj.pk = saved.pk


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "subject", "recipient", "sent_at"]
    list_filter = ["kind", "day"]
    search_fields = ["subject", "recipient__username", "recipient__email"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
