"""An assessment's departures register (SPR §1.9) and actions register: the lists for everyone who
may read the assessment, and the forms to record or change an entry for those who may edit it.
Anyone else asking for a form is refused as the services would refuse the change
(`common.refuse_change`).

Both registers are the same two pages, so there is one list view and one form view; a `Register`
says what differs (the entries' selector, the form and how an entry fills it, the service that saves
it, the templates and the messages). The URLs name the register (`{"register": "departures"}`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.forms import ActionForm, DepartureForm, add_service_errors
from assessments.models import Action, Assessment, Departure
from assessments.permissions import can_edit_assessment
from assessments.views.common import FORM_METHODS, conflict_page, form_status, post_data, refuse_change


@dataclass(frozen=True)
class Register:
    """What one register's pages differ in."""

    #: One entry: the form template's name for it ("departure"), and the URL's `<noun>_pk`.
    noun: str
    #: The entries: the list template's name for them and the list's URL name ("departures").
    plural: str
    #: (user=, assessment=) -> the assessment's entries the user may see.
    selector: Callable[..., QuerySet]
    form: type[forms.Form]
    #: (user, assessment) -> what the form needs besides its data (its choices).
    form_kwargs: Callable[..., dict]
    #: An entry -> the form's values to change it.
    initial: Callable[[Model], dict]
    #: (user=, assessment=, record=, requirement=, **the form's other fields) -> the saved entry.
    save: Callable[..., Model]
    #: Messages after saving, given the requirement's reference as {ref}.
    recorded: str
    updated: str

    @property
    def list_template(self) -> str:
        return f"assessments/{self.noun}_list.html"

    @property
    def form_template(self) -> str:
        return f"assessments/{self.noun}_form.html"


def _departure_initial(departure: Departure) -> dict:
    return {
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


def _departure_save(*, record: Departure | None, evidence: list[str], **fields) -> Departure:
    return services.departure_save(departure=record, evidence_ids=[int(pk) for pk in evidence], **fields)


def _action_initial(action: Action) -> dict:
    return {
        "requirement": action.requirement.ref,
        "gap": action.gap,
        "description": action.description,
        "owner_user": action.owner_user_id,
        # A person of the force is named by the select; the name is for someone outside the service.
        "owner": "" if action.owner_user_id else action.owner,
        "due_date": action.due_date,
        "status": action.status,
    }


def _action_save(*, record: Action | None, **fields) -> Action:
    return services.action_save(action=record, **fields)


REGISTERS = {
    "departures": Register(
        noun="departure",
        plural="departures",
        selector=selectors.departure_list,
        form=DepartureForm,
        form_kwargs=lambda user, assessment: {
            "requirements": selectors.requirements_of(assessment),
            # The force's library, items shared with it, and any its departures already cite.
            "evidence_items": selectors.evidence_citable(
                force_id=assessment.force_id,
                linked_ids=Departure.evidence.through.objects.filter(departure__assessment=assessment).values(
                    "evidence_id"
                ),
            ),
        },
        initial=_departure_initial,
        save=_departure_save,
        recorded=gettext_lazy("Departure from {ref} recorded"),
        updated=gettext_lazy("Departure from {ref} updated"),
    ),
    "actions": Register(
        noun="action",
        plural="actions",
        selector=selectors.action_list,
        form=ActionForm,
        form_kwargs=lambda user, assessment: {
            "requirements": selectors.requirements_of(assessment),
            "people": selectors.assignable_people(force_id=assessment.force_id),
        },
        initial=_action_initial,
        save=_action_save,
        recorded=gettext_lazy("Action on {ref} recorded"),
        updated=gettext_lazy("Action on {ref} updated"),
    ),
}


@require_GET
@login_required
def register_list_view(request, pk: int, register: str):
    """The register's entries, with a way to record or change one for those who may edit."""
    page = REGISTERS[register]
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    return render(
        request,
        page.list_template,
        {
            "assessment": assessment,
            page.plural: list(page.selector(user=request.user, assessment=assessment)),
            "can_edit": can_edit_assessment(request.user, assessment),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def register_form_view(request, pk: int, register: str, **entry):
    """Record an entry, or change the one the URL names (`departure_pk`, `action_pk`). A new entry's
    requirement may be chosen in advance with `?requirement=<ref>`."""
    page = REGISTERS[register]
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    entry_pk = entry.get(f"{page.noun}_pk")
    record = None
    if entry_pk is not None:
        record = get_object_or_404(page.selector(user=request.user, assessment=assessment), pk=entry_pk)
    _require_editable(request.user, assessment)
    initial = page.initial(record) if record is not None else {"requirement": request.GET.get("requirement")}
    form = page.form(post_data(request), initial=initial, **page.form_kwargs(request.user, assessment))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        requirement = data.pop("requirement")
        try:
            page.save(user=request.user, assessment=assessment, record=record, requirement=requirement, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, (page.updated if record else page.recorded).format(ref=requirement.ref))
            return redirect(f"assessments:{page.plural}", pk=assessment.pk)
    return render(
        request,
        page.form_template,
        {"assessment": assessment, page.noun: record, "form": form},
        status=form_status(form),
    )


def _require_editable(user, assessment: Assessment) -> None:
    if not can_edit_assessment(user, assessment):
        refuse_change(user, assessment)
