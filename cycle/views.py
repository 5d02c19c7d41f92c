"""The deadlines pages, mounted at /deadlines/: every period's deadlines (everyone signed in), and a
national administrator's form to set one period's (everyone else 403). Periods in paths are written
2026-27 (a slash cannot sit in a path segment)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms.govuk import add_service_errors
from core.periods import PERIOD_RE, current_period
from cycle import selectors, services
from cycle.forms import PeriodDeadlinesForm
from cycle.permissions import can_set_deadlines


def period_from_slug(slug: str) -> str:
    period = slug.replace("-", "/", 1)
    if not PERIOD_RE.match(period):
        raise Http404("No such period")
    return period


def period_slug(period: str) -> str:
    return period.replace("/", "-")


@require_GET
@login_required
def deadlines_view(request):
    """Every period's deadlines, newest first, with a link to set the current period's."""
    rows = list(selectors.deadlines_list(user=request.user))
    current = current_period()
    return render(
        request,
        "cycle/deadlines.html",
        {
            "rows": [{"row": row, "slug": period_slug(row.period)} for row in rows],
            "can_set": can_set_deadlines(request.user),
            "current": current,
            "current_slug": period_slug(current),
            "next_slug": period_slug(f"{int(current[:4]) + 1}/{(int(current[:4]) + 2) % 100:02d}"),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def deadlines_edit_view(request, period: str):
    """Set (or change) one period's deadlines: national administrators only."""
    if not can_set_deadlines(request.user):
        raise PermissionDenied(_("Only a national administrator can set deadlines"))
    period_value = period_from_slug(period)
    existing = selectors.deadlines_for(period=period_value)
    initial = {name: getattr(existing, name) for name in services.DEADLINE_FIELDS} if existing else {}
    form = PeriodDeadlinesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.period_deadlines_save(user=request.user, period=period_value, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Deadlines for %(period)s saved") % {"period": period_value})
            return redirect("cycle:deadlines")
    return render(
        request,
        "cycle/deadlines_form.html",
        {"form": form, "period": period_value, "existing": existing},
        status=400 if form.is_bound and form.errors else 200,
    )
