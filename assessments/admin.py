"""Admin for support staff. Changes made here are audited like any other (simple-history signals);
a published assessment and everything in it is read-only here too."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Action,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeReply,
    Departure,
    Evidence,
    EvidenceKind,
    Response,
    Snapshot,
    Transition,
)

FROZEN_MESSAGE = "This assessment is published, so it cannot be changed. Start a revision instead."


def _assessment_of(obj):
    if obj is None:
        return None
    if isinstance(obj, Assessment):
        return obj
    if isinstance(obj, ChallengeReply):
        return obj.challenge.assessment
    return getattr(obj, "assessment", None)


class FrozenWhenPublishedAdmin(SimpleHistoryAdmin):
    """Refuses changes and deletion once the owning assessment is published (the 409 of the admin)."""

    def _frozen(self, obj) -> bool:
        assessment = _assessment_of(obj)
        return assessment is not None and assessment.status == AssessmentStatus.PUBLISHED

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._frozen(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._frozen(obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if self._frozen(obj):
            self.message_user(request, FROZEN_MESSAGE, level=messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Assessment)
class AssessmentAdmin(FrozenWhenPublishedAdmin):
    list_display = ["force", "edition", "period", "revision", "status", "updated_at"]
    list_filter = ["status", "edition", "period", "force__region"]
    search_fields = ["force__name", "period"]
    list_select_related = ["force", "edition"]
    # State moves only through the workflow service, which checks roles and records transitions.
    readonly_fields = [
        "status",
        "revision",
        "supersedes",
        "started_from",
        "created_by",
        "chief_statement_by",
        "chief_statement_at",
        "signed_off_by",
        "signed_off_at",
        "published_by",
        "published_at",
    ]


@admin.register(Response)
class ResponseAdmin(FrozenWhenPublishedAdmin):
    list_display = ["assessment", "requirement", "judgement", "version", "updated_at"]
    list_select_related = ["assessment__force", "assessment__edition", "requirement", "judgement"]
    # The owner is assigned on the requirement's page or through the API, whose service checks that
    # they are a member of the force; the admin would offer every account.
    readonly_fields = ["assessment", "requirement", "version", "updated_by", "updated_at", "owner"]
    raw_id_fields = ["evidence"]


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "force", "kind", "owner", "review_by", "protective_marking"]
    list_filter = ["kind", "protective_marking", "force__region"]
    search_fields = ["title", "owner", "original_name"]
    list_select_related = ["force"]
    # The stored file has no public URL (PrivateStorage): the admin links to the download view, which
    # checks the force and refuses a quarantined file, instead of Django's file widget, which asks
    # storage for a URL.
    exclude = ["file"]
    readonly_fields = [
        "force",
        "kind",
        "stored_file",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "scan_status",
        "created_by",
    ]

    @admin.display(description="File")
    def stored_file(self, obj):
        if obj is None or obj.kind != EvidenceKind.FILE or not obj.file:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("assessments:evidence-download", args=[obj.pk]), obj.original_name
        )


@admin.register(Departure)
class DepartureAdmin(FrozenWhenPublishedAdmin):
    list_display = ["assessment", "requirement", "departing_party", "status", "review_date"]
    list_select_related = ["assessment__force", "assessment__edition", "requirement"]
    readonly_fields = ["assessment", "created_by"]


@admin.register(Action)
class ActionAdmin(FrozenWhenPublishedAdmin):
    list_display = ["assessment", "requirement", "owner", "due_date", "status"]
    list_select_related = ["assessment__force", "assessment__edition", "requirement"]
    # As a response's owner: assigned through the pages or the API, which check force membership.
    readonly_fields = ["assessment", "created_by", "owner_user"]


@admin.register(Challenge)
class ChallengeAdmin(FrozenWhenPublishedAdmin):
    list_display = ["assessment", "response", "status", "raised_by", "created_at"]
    list_select_related = ["assessment__force", "assessment__edition", "response__requirement", "raised_by"]
    readonly_fields = ["assessment", "response", "raised_by", "closed_by", "closed_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records of what happened: never edited, never deleted."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Transition)
class TransitionAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "action", "from_status", "to_status", "actor", "at"]
    list_select_related = ["assessment__force", "assessment__edition", "actor"]


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "sha256", "created_at"]
    list_select_related = ["assessment__force", "assessment__edition"]
