"""Capacity planning pages: the capabilities and their national planning assumptions (national
administrators change them), and each force's committed and available figures (PCC office staff
record them). Another force's figures answer 404, as everywhere else.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from capabilities import services as capability_services
from capabilities.models import CapacityCapability
from capabilities.selectors import capability_list
from capacity import selectors, services
from capacity.forms import CapabilityForm, CommitmentForm, ExpectedContributionForm, ExpectedUploadForm
from core.forms.govuk import add_service_errors
from core.periods import PERIOD_RE, current_period
from core.roles import sees_all_forces
from forces.selectors import force_choices

FORM_METHODS = ["GET", "POST"]


def period_from_slug(slug: str) -> str:
    """URLs write a period `2025-26` (a slash cannot sit in a path segment); the data keeps `2025/26`."""
    period = slug.replace("-", "/", 1)
    if not PERIOD_RE.match(period):
        raise Http404("No such period")
    return period


def period_slug(period: str) -> str:
    return period.replace("/", "-")


def _period(request) -> str:
    period = request.GET.get("period") or current_period()
    if not PERIOD_RE.match(period):
        raise Http404("No such period")
    return period


@require_GET
@login_required
def capacity_view(request):
    """The capabilities, and the figures of the user's force(s) for a period.

    Force roles see their own forces; national roles see the capabilities and may open one force's
    figures with ?force=<code> (another force's code is a 404 for a force role).
    """
    user = request.user
    period = _period(request)
    choices = force_choices(user=user)
    code = request.GET.get("force", "")
    # National roles see no force's table until they pick one; force roles see their own.
    forces = [get_object_or_404(choices, code=code)] if code else [] if sees_all_forces(user) else list(choices)
    capabilities = list(capability_list())
    recorded = {
        (row.force_id, row.capability_id): row
        for row in selectors.commitment_list(user=user).filter(period=period, force__in=[f.id for f in forces])
    }
    expected = {
        (row.force_id, row.capability_id): row
        for row in selectors.expected_list(user=user).filter(period=period, force__in=[f.id for f in forces])
    }
    tables = [
        {
            "force": force,
            "can_record": services.can_record_capacity(user, force.id),
            "rows": [
                {
                    "capability": c,
                    "commitment": recorded.get((force.id, c.id)),
                    "expected": expected.get((force.id, c.id)),
                }
                for c in capabilities
            ],
        }
        for force in forces
    ]
    return render(
        request,
        "capabilities/capacity.html",
        {
            "period": period,
            "period_slug": period_slug(period),
            "capabilities": capabilities,
            "tables": tables,
            "can_manage": capability_services.can_manage_capabilities(user),
            "can_set_expected": services.can_set_expected_contributions(user),
            "sees_all_forces": sees_all_forces(user),
            "force_choices": list(choices) if sees_all_forces(user) else [],
            "chosen": code,
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def capability_form_view(request, code: str | None = None):
    """Add a capability, or change one's name, unit and national planning assumption."""
    if not capability_services.can_manage_capabilities(request.user):
        raise PermissionDenied("Only a national administrator can change capacity capabilities")
    capability = get_object_or_404(CapacityCapability, code=code) if code else None
    initial = {}
    if capability is not None:
        initial = {name: getattr(capability, name) for name in capability_services.CAPABILITY_FIELDS}
    form = CapabilityForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=capability is not None
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        code_value = data.pop("code", "")
        try:
            saved = capability_services.capacity_capability_save(
                user=request.user, capability=capability, code=code_value, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("capacity:capacity")
    return render(
        request,
        "capabilities/capability_form.html",
        {"form": form, "capability": capability},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(FORM_METHODS)
@login_required
def commitment_form_view(request, force_code: str, period: str, capability_code: str):
    """Record or change one force's figures for one capability and period."""
    user = request.user
    force = get_object_or_404(force_choices(user=user), code=force_code)
    period_value = period_from_slug(period)
    capability = get_object_or_404(CapacityCapability, code=capability_code)
    if not services.can_record_capacity(user, force.id):
        raise PermissionDenied("You cannot record capacity for this force")
    existing = (
        selectors.commitment_list(user=user).filter(force=force, capability=capability, period=period_value).first()
    )
    initial = {name: getattr(existing, name) for name in services.COMMITMENT_FIELDS} if existing else {}
    form = CommitmentForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.capacity_commitment_save(
                user=user, force=force, capability=capability, period=period_value, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{capability.name} figures for {period_value} saved")
            url = f"{redirect('capacity:capacity').url}?period={period_value}"
            if sees_all_forces(user):
                url += f"&force={force.code}"
            return redirect(url)
    return render(
        request,
        "capabilities/commitment_form.html",
        {"form": form, "force": force, "capability": capability, "period": period_value, "existing": existing},
        status=400 if form.is_bound and form.errors else 200,
    )


def _require_expected_manager(user) -> None:
    if not services.can_set_expected_contributions(user):
        raise PermissionDenied(_("Only a national administrator can set expected contributions"))


@require_http_methods(FORM_METHODS)
@login_required
def expected_view(request):
    """Expected contributions for a period: the figures set (a table), a form to set one and a CSV
    upload. National administrators only (everyone else 403: the figures themselves are shown
    beside each force's commitments on the capacity pages and dashboards)."""
    user = request.user
    _require_expected_manager(user)
    period = _period(request)
    form = ExpectedContributionForm(
        request.POST if request.method == "POST" else None, initial={"period": period}, prefix="set"
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.expected_contribution_save(user=user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(force)s expected contribution for %(capability)s in %(period)s saved")
                % {"force": row.force.name, "capability": row.capability.name, "period": row.period},
            )
            return redirect(f"{reverse('capacity:expected')}?period={row.period}")
    return _expected_page(request, period=period, form=form, upload=ExpectedUploadForm(prefix="upload"))


def _expected_page(request, *, period, form, upload, report=None, status=None):
    rows = list(selectors.expected_list(user=request.user).filter(period=period))
    bound_errors = (form.is_bound and form.errors) or (upload.is_bound and upload.errors) or (report and not report.ok)
    return render(
        request,
        "capacity/expected.html",
        {
            "period": period,
            "rows": rows,
            "form": form,
            "upload": upload,
            "report": report,
            "illustrative": any(not row.official for row in rows),
            "header": ",".join(services.EXPECTED_CSV_HEADER),
        },
        status=status or (400 if bound_errors else 200),
    )


@require_http_methods(["POST"])
@login_required
def expected_upload_view(request):
    """A CSV of expected contributions, written all or nothing, with a validation report."""
    user = request.user
    _require_expected_manager(user)
    period = _period(request)
    upload = ExpectedUploadForm(request.POST, request.FILES, prefix="upload")
    form = ExpectedContributionForm(initial={"period": period}, prefix="set")
    report = None
    if upload.is_valid():
        report = services.expected_contributions_import(user=user, text=upload.cleaned_data["file"])
        if report.ok:
            messages.success(
                request, _("%(count)s expected contributions saved from the file") % {"count": report.written}
            )
            return redirect(f"{reverse('capacity:expected')}?period={period}")
    return _expected_page(request, period=period, form=form, upload=upload, report=report)
