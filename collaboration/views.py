"""Collaboration agreement pages: the register (the agreements a force is party to; national roles
see all), one agreement with its parties and their confirmation, recording one (the lead force's
staff), confirming a party's part, and the lead force changing its parties (adding a force, removing
one after a confirmation page). Another force's agreement answers 404, as everywhere else; a party
that is not the lead gets 403 on the pages that change it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from collaboration import selectors, services
from collaboration.forms import AddPartyForm, AgreementChangeForm, AgreementForm, RemovePartyForm
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


def _changeable_parties(request, pk: int):
    """The agreement with its parties, for its lead force's staff: 404 for a force that is no party,
    403 for a party that is not the lead (as the edit page)."""
    agreement = selectors.agreement_parties_get(user=request.user, pk=pk)
    if not can_change_agreement(request.user, agreement):
        raise PermissionDenied(gettext("Only the lead force can change this agreement"))
    return agreement, list(agreement.parties.all())


@require_http_methods(FORM_METHODS)
@login_required
def agreement_parties_view(request, pk: int):
    """The lead force's staff see the parties, add a force, and follow "Remove" to confirm a removal."""
    agreement, parties = _changeable_parties(request, pk)
    form = AddPartyForm(
        request.POST if request.method == "POST" else None, forces=selectors.forces_not_party(agreement=agreement)
    )
    if request.method == "POST" and form.is_valid():
        try:
            party = services.agreement_add_party(
                user=request.user,
                agreement=agreement,
                force=form.cleaned_data["force"],
                party_type=form.cleaned_data["party_type"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("%(force)s has been added to this agreement. Its staff now need to confirm its part.")
                % {"force": party.force.name},
            )
            return redirect("collaboration:agreement-parties", pk=agreement.pk)
    for party in parties:
        party.removal_refusal = services.party_removal_refusal(agreement=agreement, party=party, parties=parties)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "collaboration/agreement_parties.html",
        {"agreement": agreement, "parties": parties, "form": form},
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
def agreement_party_remove_view(request, pk: int, force_code: str):
    """Are you sure? Then the lead force's staff remove a party. A force that is no party is not found."""
    agreement, parties = _changeable_parties(request, pk)
    party = next((item for item in parties if item.force.code == force_code), None)
    if party is None:
        raise Http404(gettext("That force is not a party to this agreement"))
    form = RemovePartyForm(request.POST if request.method == "POST" else None)
    refusal = services.party_removal_refusal(agreement=agreement, party=party, parties=parties)
    if request.method == "POST" and not refusal:
        try:
            services.agreement_remove_party(user=request.user, agreement=agreement, party=party)
        except ValidationError as exc:
            refusal = " ".join(exc.messages)
        else:
            messages.success(
                request, gettext("%(force)s has been removed from this agreement") % {"force": party.force.name}
            )
            return redirect("collaboration:agreement-parties", pk=agreement.pk)
    if refusal and form.is_bound:
        form.add_error(None, refusal)
    return render(
        request,
        "collaboration/agreement_party_remove.html",
        {"agreement": agreement, "party": party, "form": form, "refusal": refusal},
        status=400 if form.is_bound and refusal else 200,
    )
