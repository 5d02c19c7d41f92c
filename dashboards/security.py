"""The security event log: national administrators read the security events in the audit chain
(sign-ins, failures, lockouts, sign-outs, denied access, exports and downloads), filtered by person,
force, kind and date, a page at a time, in a constant number of queries."""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.models import AuditEntry
from core.roles import Role, has_role
from forces.models import Force

#: Events per page.
PAGE_SIZE = 50
EVENT_KINDS = [(value, label) for value, label in AuditEntry.Kind.choices if value != AuditEntry.Kind.RECORD]
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d"]


def person_name(user) -> str:
    """A person as the log names them: full name, else the username (the only name some accounts have)."""
    return user.get_full_name() or user.get_username()


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return person_name(obj)


class PersonFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


class SecurityEventFilter(django_filters.FilterSet):
    person = PersonFilter(
        field_name="actor",
        label=_("Person"),
        empty_label=_("Anyone"),
        queryset=get_user_model().objects.order_by("first_name", "last_name", "username"),
    )
    force = django_filters.ModelChoiceFilter(
        label=_("Force"),
        empty_label=_("Any force"),
        to_field_name="code",
        queryset=Force.objects.order_by("name"),
        method="filter_force",
    )
    kind = django_filters.ChoiceFilter(label=_("Event"), empty_label=_("Any event"), choices=EVENT_KINDS)
    date_from = django_filters.DateFilter(
        field_name="at", lookup_expr="date__gte", label=_("From"), input_formats=DATE_FORMATS
    )
    date_to = django_filters.DateFilter(
        field_name="at", lookup_expr="date__lte", label=_("To"), input_formats=DATE_FORMATS
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def filter_force(self, queryset, name, value):
        """Events of the force's people, and refusals of the force's records to anyone else."""
        denied_its_record = Q(kind=AuditEntry.Kind.ACCESS_DENIED, changes__object_force=value.pk)
        return queryset.filter(Q(force_id=value.pk) | denied_its_record)


def security_events():
    """Every security event, newest first, with its person."""
    return AuditEntry.objects.exclude(kind=AuditEntry.Kind.RECORD).select_related("actor").order_by("-id")


def _describe(entry: AuditEntry, forces: dict[int, str]) -> str:
    """The event's particulars in words: what was denied, exported or tried."""
    details = entry.changes or {}
    if entry.kind == AuditEntry.Kind.ACCESS_DENIED:
        try:
            label = apps.get_model(entry.model)._meta.verbose_name
        except (LookupError, ValueError):
            label = entry.model
        owner = forces.get(details.get("object_force"), _("no force"))
        record = str(label).capitalize()
        return _("%(record)s %(id)s of %(force)s") % {"record": record, "id": entry.object_id, "force": owner}
    if entry.kind in (AuditEntry.Kind.EXPORT, AuditEntry.Kind.DOWNLOAD):
        return details.get("file", "")
    if entry.kind in (AuditEntry.Kind.SIGN_IN_FAILED, AuditEntry.Kind.LOCKED_OUT):
        return _("Username entered: %(username)s") % {"username": details.get("username", "")}
    return ""


@require_GET
@login_required
def security_events_view(request):
    """National administrators only (the national pages' convention: 403 for anyone else)."""
    if not has_role(request.user, Role.NATIONAL_ADMIN):
        raise PermissionDenied("The security event log is for national administrators")
    event_filter = SecurityEventFilter(request.GET or None, queryset=security_events())
    events = event_filter.qs if event_filter.is_bound and event_filter.is_valid() else security_events()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    wanted = {entry.force_id for entry in entries} | {(entry.changes or {}).get("object_force") for entry in entries}
    wanted.discard(None)
    forces = dict(Force.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    rows = [
        {
            "entry": entry,
            "who": person_name(entry.actor) if entry.actor else (entry.actor_name or _("Nobody signed in")),
            "force": forces.get(entry.force_id, ""),
            "details": _describe(entry, forces),
            "address": (entry.changes or {}).get("ip", ""),
        }
        for entry in entries
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dashboards/security_events.html",
        {"filter": event_filter, "page": page, "rows": rows, "query": query.urlencode()},
    )
