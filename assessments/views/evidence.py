"""The evidence library: the list (for national users every force's, which they may filter by
force), adding an item (a file, a link or a reference), an item with the responses that cite it, and
downloading a file. Only responses the user may read are listed, so HMIC never learns of a draft
through the evidence it cites.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, services, sharing
from assessments.downloads import evidence_file_response
from assessments.forms import EvidenceForm, EvidenceShareForm, add_service_errors
from assessments.models import EvidenceKind, Response
from assessments.permissions import can_manage_evidence
from assessments.views.common import FORM_METHODS, conflict_page, form_status, manageable_forces, post_data
from collaboration.selectors import agreements_of_force
from core.roles import sees_all_forces
from forces.models import Force
from forces.scoping import force_ids_for


def _evidence_forces(user):
    return manageable_forces(user, lambda force: can_manage_evidence(user, force.id))


@require_GET
@login_required
def evidence_list_view(request):
    national = sees_all_forces(request.user)
    force_filter = None
    if national and request.GET.get("force"):
        force_filter = Force.objects.filter(code=request.GET["force"]).first()
    items = list(
        selectors.evidence_list(user=request.user, force_id=force_filter.id if force_filter else None).order_by(
            "force__name", "title", "id"
        )
        if national
        else selectors.evidence_list(user=request.user)
    )
    return render(
        request,
        "assessments/evidence_list.html",
        {
            "items": items,
            "national": national,
            "forces": list(Force.objects.order_by("name").values_list("code", "name")) if national else [],
            "force_filter": force_filter,
            "can_add": _evidence_forces(request.user).exists(),
            "own_force_ids": [] if national else force_ids_for(request.user),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def evidence_create_view(request):
    forces = _evidence_forces(request.user)
    if not forces.exists():
        raise PermissionDenied("You cannot add evidence")
    form = EvidenceForm(post_data(request), request.FILES if request.method == "POST" else None, forces=forces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        try:
            item = services.evidence_create(
                user=request.user,
                force=data["force"],
                kind=kind,
                title=data["title"],
                owner=data["owner"],
                evidence_date=data["evidence_date"],
                description=data["description"],
                review_by=data["review_by"],
                protective_marking=data["protective_marking"],
                upload=data["upload"] if kind == EvidenceKind.FILE else None,
                url=data["url"] if kind == EvidenceKind.LINK else "",
                reference=data["reference"] if kind == EvidenceKind.REFERENCE else "",
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"‘{item.title}’ has been added to the evidence library")
            return redirect("assessments:evidence-detail", pk=item.pk)
    return render(request, "assessments/evidence_create.html", {"form": form}, status=form_status(form))


@require_GET
@login_required
def evidence_detail_view(request, pk: int):
    item = selectors.evidence_get(user=request.user, pk=pk)
    # Only responses the user may read: HMIC must not learn of a draft through the evidence it cites.
    responses = list(
        Response.objects.visible_to(request.user)
        .filter(evidence=item)
        .select_related("assessment", "assessment__edition", "requirement")
        .order_by("-assessment__period", "requirement__position")
    )
    return render(
        request,
        "assessments/evidence_detail.html",
        {
            "item": item,
            "responses": responses,
            "shared_with": list(item.shared_with.all()),
            "own_item": can_manage_evidence(request.user, item.force_id),
        },
    )


def _share_form(request, item):
    return EvidenceShareForm(
        post_data(request),
        agreements=agreements_of_force(item.force_id).order_by("title"),
        forces=Force.objects.exclude(pk=item.force_id).order_by("name"),
        initial={
            "agreement": item.agreement_id,
            "forces": [str(pk) for pk in item.shared_with.values_list("pk", flat=True)],
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def evidence_share_view(request, pk: int):
    """Share an item read-only with an agreement's parties or named forces (the owning force's staff
    only; a partner it is shared with is refused, another force gets 404)."""
    item = selectors.evidence_get(user=request.user, pk=pk)
    if not can_manage_evidence(request.user, item.force_id):
        raise PermissionDenied(gettext("Only the force that owns this evidence can share it"))
    form = _share_form(request, item)
    if request.method == "POST" and form.is_valid():
        try:
            sharing.evidence_share(
                user=request.user,
                evidence=item,
                forces=form.cleaned_data["force_objects"],
                agreement=form.cleaned_data["agreement"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"shared_with": "forces"})
        else:
            messages.success(request, gettext("‘%(title)s’ has been shared") % {"title": item.title})
            return redirect("assessments:evidence-detail", pk=item.pk)
    return render(request, "assessments/evidence_share.html", {"item": item, "form": form}, status=form_status(form))


@require_POST
@login_required
def evidence_unshare_view(request, pk: int):
    """Withdraw all sharing of an item; responses that already cite it keep the link."""
    item = selectors.evidence_get(user=request.user, pk=pk)
    if not can_manage_evidence(request.user, item.force_id):
        raise PermissionDenied(gettext("Only the force that owns this evidence can withdraw sharing"))
    sharing.evidence_unshare(user=request.user, evidence=item)
    messages.success(request, gettext("‘%(title)s’ is no longer shared") % {"title": item.title})
    return redirect("assessments:evidence-detail", pk=item.pk)


@require_GET
@login_required
@conflict_page
def evidence_download_view(request, pk: int):
    return evidence_file_response(selectors.evidence_get(user=request.user, pk=pk))
