"""An assessment's history page: its workflow transitions, and its audit trail (with its records') a
page at a time. Each audit entry is described in words: field labels (assessments.records.labels),
choice labels, and people, judgements and evidence by name rather than id, in three queries a page
however many entries it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assessments import selectors
from assessments.models import Assessment, Evidence
from assessments.records.labels import field_label, model_field, model_label
from assessments.views.common import snapshot_sha
from core.people import display_name
from threats.models import JudgementLevel

#: Audit entries per page of the history.
HISTORY_PAGE_SIZE = 50


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class AuditRow:
    """One audit entry as the history page shows it."""

    entry: object
    what: str
    changes: list[Change] = field(default_factory=list)
    #: Who made the change, "Name, job title" ("" for the system).
    who: str = ""


#: Fields that only tie a record to its parent: they say nothing a reader of the history needs.
QUIET_FIELDS = {"id", "assessment_id", "challenge_id"}


def _as_text(value, lookup: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(_as_text(item, lookup) for item in value)
    if lookup is not None:
        return str(lookup.get(value, lookup.get(str(value), value)))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def audit_rows(entries, *, assessment: Assessment) -> list[AuditRow]:
    """Describe audit entries in words: field labels, choice labels, and people, judgements and
    evidence by name rather than id (three queries for a page, however many entries it holds)."""
    entries = list(entries)
    user_model = get_user_model()
    models = {entry.model: _model_or_none(entry.model) for entry in entries}
    wanted: dict[str, set] = {"user": set(), "judgement": set(), "evidence": set()}

    def kind_of(model_field) -> str | None:
        target = getattr(model_field, "related_model", None)
        if target is user_model:
            return "user"
        if target is JudgementLevel:
            return "judgement"
        if target is Evidence:
            return "evidence"
        return None

    for entry in entries:
        if entry.actor_id is not None:
            wanted["user"].add(entry.actor_id)
        for name, pair in (entry.changes or {}).items():
            kind = kind_of(model_field(models[entry.model], name))
            if kind:
                for value in pair:
                    wanted[kind].update(value if isinstance(value, list) else [value])
    names = {
        "user": {
            user.pk: display_name(user)
            for user in user_model.objects.select_related("profile").filter(
                pk__in=[v for v in wanted["user"] if v is not None]
            )
        }
        if wanted["user"]
        else {},
        "judgement": dict(
            JudgementLevel.objects.filter(pk__in=[v for v in wanted["judgement"] if v is not None]).values_list(
                "pk", "label"
            )
        )
        if wanted["judgement"]
        else {},
        "evidence": dict(
            Evidence.objects.filter(
                force_id=assessment.force_id, pk__in=[v for v in wanted["evidence"] if v]
            ).values_list("pk", "title")
        )
        if wanted["evidence"]
        else {},
    }

    rows = []
    for entry in entries:
        model = models[entry.model]
        label = model_label(model) if model else entry.model
        row = AuditRow(
            entry=entry,
            what=f"{label}: {entry.object_repr}" if entry.object_repr else label,
            who=names["user"].get(entry.actor_id, entry.actor_name) if entry.actor_id else entry.actor_name,
        )
        for name, pair in (entry.changes or {}).items():
            if name in QUIET_FIELDS or not isinstance(pair, list) or len(pair) != 2:
                continue
            found = model_field(model, name)
            lookup = None
            kind = kind_of(found)
            if kind:
                lookup = names[kind]
            elif found is not None and getattr(found, "choices", None):
                lookup = {str(key): value for key, value in found.flatchoices}
            row.changes.append(Change(field_label(model, name), _as_text(pair[0], lookup), _as_text(pair[1], lookup)))
        rows.append(row)
    return rows


def _model_or_none(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@require_GET
@login_required
def history_view(request, pk: int):
    """The assessment's transitions, and its audit trail (with its records') a page at a time."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    paginator = Paginator(selectors.audit_trail_of(assessment=assessment), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "transitions": list(selectors.transitions_of(assessment=assessment)),
            "page": page,
            "rows": audit_rows(page.object_list, assessment=assessment),
            "snapshot_sha": snapshot_sha(assessment),
            "history_url": reverse("assessments:history", args=[assessment.pk]),
        },
    )
