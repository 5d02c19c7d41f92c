"""An assessment's departures register (SPR §1.9) and actions register: the lists for everyone who
may read the assessment, and the forms to record or change an entry for those who may edit it.
Anyone else asking for a form is refused as the services would refuse the change
(`common.refuse_change`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.forms import ActionForm, DepartureForm, add_service_errors
from assessments.permissions import can_edit_assessment
from assessments.views.common import FORM_METHODS, conflict_page, form_status, post_data, refuse_change


def _register_write(request, assessment):
    if not can_edit_assessment(request.user, assessment):
        refuse_change(request.user, assessment)


@require_GET
@login_required
def departure_list_view(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    return render(
        request,
        "assessments/departure_list.html",
        {
            "assessment": assessment,
            "departures": list(selectors.departure_list(user=request.user, assessment=assessment)),
            "can_edit": can_edit_assessment(request.user, assessment),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def departure_form_view(request, pk: int, departure_pk: int | None = None):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    departure = None
    if departure_pk is not None:
        departure = get_object_or_404(
            selectors.departure_list(user=request.user, assessment=assessment), pk=departure_pk
        )
    _register_write(request, assessment)
    initial = {"requirement": request.GET.get("requirement")}
    if departure is not None:
        initial = {
            "requirement": departure.requirement.ref,
            "departing_party": departure.departing_party,
            "circumstances": departure.circumstances,
            "reasons": departure.reasons,
            "alternative_arrangements": departure.alternative_arrangements,
            "residual_risk": departure.residual_risk,
            "review_date": departure.review_date,
            "status": departure.status,
            "evidence": [str(item.pk) for item in departure.evidence.all()],
        }
    form = DepartureForm(
        post_data(request),
        initial=initial,
        requirements=selectors.requirements_of(assessment),
        evidence_items=list(selectors.evidence_list(user=request.user, force_id=assessment.force_id)),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        requirement = data.pop("requirement")
        evidence_ids = [int(value) for value in data.pop("evidence")]
        try:
            services.departure_save(
                user=request.user,
                assessment=assessment,
                departure=departure,
                requirement=requirement,
                evidence_ids=evidence_ids,
                **data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Departure from {requirement.ref} {'updated' if departure else 'recorded'}")
            return redirect("assessments:departures", pk=assessment.pk)
    return render(
        request,
        "assessments/departure_form.html",
        {"assessment": assessment, "departure": departure, "form": form},
        status=form_status(form),
    )


@require_GET
@login_required
def action_list_view(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    return render(
        request,
        "assessments/action_list.html",
        {
            "assessment": assessment,
            "actions": list(selectors.action_list(user=request.user, assessment=assessment)),
            "can_edit": can_edit_assessment(request.user, assessment),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def action_form_view(request, pk: int, action_pk: int | None = None):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    action = None
    if action_pk is not None:
        action = get_object_or_404(selectors.action_list(user=request.user, assessment=assessment), pk=action_pk)
    _register_write(request, assessment)
    initial = {"requirement": request.GET.get("requirement")}
    if action is not None:
        initial = {
            "requirement": action.requirement.ref,
            "gap": action.gap,
            "description": action.description,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
        }
    form = ActionForm(post_data(request), initial=initial, requirements=selectors.requirements_of(assessment))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        requirement = data.pop("requirement")
        try:
            services.action_save(
                user=request.user, assessment=assessment, action=action, requirement=requirement, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Action on {requirement.ref} {'updated' if action else 'recorded'}")
            return redirect("assessments:actions", pk=assessment.pk)
    return render(
        request,
        "assessments/action_form.html",
        {"assessment": assessment, "action": action, "form": form},
        status=form_status(form),
    )
