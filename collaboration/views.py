"""Collaboration agreement pages: the register (the agreements a force is party to; national roles
see all), one agreement with its parties and their confirmation, recording one (the lead force's
staff) and confirming a party's part. Another force's agreement answers 404, as everywhere else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration import selectors, services
from collaboration.forms import AgreementChangeForm, AgreementForm
from collaboration.permissions import can_change_agreement, can_confirm_party, can_record_agreement
from core.forms.govuk import add_service_errors
from core.roles import sees_all_forces
from forces.models import Force
from forces.scoping import force_ids_for

FORM_METHODS = ["GET", "POST"]


def _lead_forces(user):
    """The forces the user may record agreements for."""
    forces = Force.objects.order_by("name")
    if not sees_all_forces(user):
        forces = forces.filter(id__in=force_ids_for(user))
    return forces.filter(id__in=[force.id for force in forces if can_record_agreement(user, force.id)])


@require_GET
@login_required
def agreement_list_view(request):
    agreements = list(selectors.agreement_list(user=request.user))
    return render(
        request,
        "collaboration/agreement_list.html",
        {"agreements": agreements, "can_add": _lead_forces(request.user).exists()},
    )


@require_GET
@login_required
def agreement_detail_view(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    parties = list(agreement.parties.all())
    for party in parties:
        party.can_confirm = can_confirm_party(request.user, party)
    return render(
        request,
        "collaboration/agreement_detail.html",
        {
            "agreement": agreement,
            "parties": parties,
            "can_change": can_change_agreement(request.user, agreement),
            "requirements": list(agreement.requirements.all()),
            "capabilities": list(agreement.capabilities.all()),
            # The agreement's documents are evidence items shared under it (assessments' upload rules
            # apply); read through the reverse relation so this app never imports assessments.
            "documents": list(
                agreement.evidence.visible_to(request.user).select_related("force").order_by("title", "id")
            ),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def agreement_create_view(request):
    lead_forces = _lead_forces(request.user)
    if not lead_forces.exists():
        raise PermissionDenied(gettext("You cannot record collaboration agreements"))
    single = lead_forces.first() if lead_forces.count() == 1 else None
    form = AgreementForm(
        request.POST if request.method == "POST" else None,
        lead_forces=lead_forces,
        partner_forces=selectors.party_force_choices(lead_force=single),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                user=request.user,
                lead_force=data["lead_force"],
                title=data["title"],
                statutory_basis=data["statutory_basis"],
                statutory_basis_other=data["statutory_basis_other"],
                description=data["description"],
                partners=data["partner_forces"],
                requirements=data["requirements"],
                capabilities=data["capability_objects"],
                start_date=data["start_date"],
                review_date=data["review_date"],
                end_date=data["end_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("‘%(title)s’ has been recorded. Each other party now needs to confirm it.")
                % {"title": agreement.title},
            )
            return redirect("collaboration:agreement-detail", pk=agreement.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "collaboration/agreement_form.html", {"form": form}, status=status)


@require_http_methods(FORM_METHODS)
@login_required
def agreement_edit_view(request, pk: int):
    """The lead force's staff change an agreement (a party reads it but is refused here)."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    if not can_change_agreement(request.user, agreement):
        raise PermissionDenied(gettext("Only the lead force can change this agreement"))
    form = AgreementChangeForm(request.POST if request.method == "POST" else None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.agreement_update(
                user=request.user,
                agreement=agreement,
                title=data["title"],
                statutory_basis=data["statutory_basis"],
                statutory_basis_other=data["statutory_basis_other"],
                description=data["description"],
                requirements=data["requirements"],
                capabilities=data["capability_objects"],
                start_date=data["start_date"],
                review_date=data["review_date"],
                end_date=data["end_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("‘%(title)s’ has been changed") % {"title": data["title"]})
            return redirect("collaboration:agreement-detail", pk=agreement.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "collaboration/agreement_form.html", {"form": form, "agreement": agreement}, status=status)


@require_POST
@login_required
def agreement_confirm_view(request, pk: int):
    """A party's staff confirm their force's part; the party is the user's force in the agreement."""
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    party = next((p for p in agreement.parties.all() if can_confirm_party(request.user, p)), None)
    if party is None:
        if not any(p.force_id in force_ids_for(request.user) for p in agreement.parties.all()):
            raise PermissionDenied(gettext("You cannot confirm this agreement"))
        raise PermissionDenied(gettext("Your force's part has already been confirmed, or your role cannot confirm it"))
    services.agreement_confirm(user=request.user, party=party)
    messages.success(
        request, gettext("You have confirmed %(force)s's part in this agreement") % {"force": party.force.name}
    )
    return redirect("collaboration:agreement-detail", pk=agreement.pk)
