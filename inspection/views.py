"""The HMIC workspace's pages, mounted at /inspection/: evidence requests and findings.

Inspectors see every force's (filter by force and status) and raise them; a force's people see only
their own force's and answer or respond. Another force's request or finding answers 404 on every
page and method, before any permission is looked at.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.downloads import evidence_file_response
from assessments.views.common import conflict_page
from core.forms.govuk import add_service_errors
from core.roles import sees_all_forces
from forces.selectors import force_choices
from inspection import permissions, selectors, services
from inspection.forms import (
    FINDING_KIND_FILTER,
    FINDING_STATUS_FILTER,
    REQUEST_STATUS_FILTER,
    EvidenceAnswerForm,
    EvidenceRequestForm,
    FindingForm,
    FindingResponseForm,
)

FORM_METHODS = ["GET", "POST"]


def _filters(request, names) -> dict:
    return {name: request.GET.get(name, "")[:60] for name in names}


def _form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- Evidence requests ------------------------------------------------------------------------------


@require_GET
@login_required
def request_list_view(request):
    user = request.user
    filters = _filters(request, ("force", "status"))
    rows = selectors.evidence_request_list(user=user, force_code=filters["force"], status=filters["status"])
    return render(
        request,
        "inspection/request_list.html",
        {
            "requests": list(rows),
            "filters": filters,
            "force_options": list(force_choices(user=user)) if sees_all_forces(user) else [],
            "status_options": REQUEST_STATUS_FILTER,
            "can_raise": permissions.can_raise(user),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def request_create_view(request):
    user = request.user
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can request evidence"))
    edition = selectors.requirement_edition()
    initial = {"force": request.GET.get("force", "")[:60]}
    form = EvidenceRequestForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        requirements=selectors.requirement_choices(edition),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.evidence_request_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Evidence request sent to %(force)s") % {"force": created.force.name})
            return redirect("inspection:request-detail", pk=created.pk)
    return render(
        request, "inspection/request_form.html", {"form": form, "edition": edition}, status=_form_status(form)
    )


def _visible_request(user, pk):
    return get_object_or_404(selectors.evidence_request_list(user=user), pk=pk)


@require_GET
@login_required
def request_detail_view(request, pk: int):
    user = request.user
    evidence_request = _visible_request(user, pk)
    return render(
        request,
        "inspection/request_detail.html",
        {
            "evidence_request": evidence_request,
            "can_answer": permissions.can_answer(user, evidence_request),
            "can_accept": permissions.can_accept(user, evidence_request),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def request_answer_view(request, pk: int):
    user = request.user
    evidence_request = _visible_request(user, pk)
    if not permissions.can_answer(user, evidence_request):
        raise PermissionDenied(_("Only the force's staff can answer its evidence requests"))
    library = list(selectors.answerable_evidence(user=user, force_id=evidence_request.force_id))
    initial = {
        "note": evidence_request.answer_note,
        "evidence": [str(item.pk) for item in evidence_request.answer_evidence.all()],
    }
    form = EvidenceAnswerForm(request.POST if request.method == "POST" else None, initial=initial, evidence=library)
    if request.method == "POST" and form.is_valid():
        try:
            services.evidence_request_answer(
                user=user,
                evidence_request=evidence_request,
                evidence_ids=form.cleaned_data["evidence"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been sent to HMIC"))
            return redirect("inspection:request-detail", pk=evidence_request.pk)
    return render(
        request,
        "inspection/request_answer.html",
        {"form": form, "evidence_request": evidence_request},
        status=_form_status(form),
    )


@require_GET
@login_required
@conflict_page
def request_evidence_download_view(request, pk: int, evidence_pk: int):
    """A file the force answered the request with, for whoever may see the request (the force, and
    HMIC, who may not otherwise read an unpublished assessment's evidence). Audited as a download."""
    evidence_request = _visible_request(request.user, pk)
    return evidence_file_response(selectors.answer_evidence_get(evidence_request=evidence_request, pk=evidence_pk))


@require_POST
@login_required
def request_accept_view(request, pk: int):
    user = request.user
    evidence_request = _visible_request(user, pk)
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can accept an answer"))
    try:
        services.evidence_request_accept(user=user, evidence_request=evidence_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Answer accepted"))
    return redirect("inspection:request-detail", pk=evidence_request.pk)


# --- Findings ----------------------------------------------------------------------------------------


@require_GET
@login_required
def finding_list_view(request):
    user = request.user
    filters = _filters(request, ("force", "kind", "status"))
    rows = selectors.finding_list(
        user=user, force_code=filters["force"], kind=filters["kind"], status=filters["status"]
    )
    return render(
        request,
        "inspection/finding_list.html",
        {
            "findings": list(rows),
            "filters": filters,
            "force_options": list(force_choices(user=user)) if sees_all_forces(user) else [],
            "kind_options": FINDING_KIND_FILTER,
            "status_options": FINDING_STATUS_FILTER,
            "can_raise": permissions.can_raise(user),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def finding_create_view(request):
    user = request.user
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can record a finding"))
    edition = selectors.requirement_edition()
    form = FindingForm(
        request.POST if request.method == "POST" else None,
        initial={"force": request.GET.get("force", "")[:60]},
        edition=edition,
        requirements=selectors.requirement_choices(edition),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.finding_create(user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Finding recorded for %(force)s") % {"force": created.force.name})
            return redirect("inspection:finding-detail", pk=created.pk)
    return render(
        request, "inspection/finding_form.html", {"form": form, "edition": edition}, status=_form_status(form)
    )


def _visible_finding(user, pk):
    return get_object_or_404(selectors.finding_list(user=user), pk=pk)


@require_GET
@login_required
def finding_detail_view(request, pk: int):
    user = request.user
    finding = _visible_finding(user, pk)
    return render(
        request,
        "inspection/finding_detail.html",
        {
            "finding": finding,
            "can_respond": permissions.can_respond(user, finding),
            "can_close": permissions.can_close(user, finding),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def finding_respond_view(request, pk: int):
    user = request.user
    finding = _visible_finding(user, pk)
    if not permissions.can_respond(user, finding):
        raise PermissionDenied(_("Only the force's staff can respond to its findings"))
    actions = list(selectors.linkable_actions(user=user, force_id=finding.force_id))
    initial = {"response": finding.response, "actions": [str(a.pk) for a in finding.actions.all()]}
    form = FindingResponseForm(request.POST if request.method == "POST" else None, initial=initial, actions=actions)
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_respond(
                user=user,
                finding=finding,
                response=form.cleaned_data["response"],
                action_ids=form.cleaned_data["actions"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your response has been sent to HMIC"))
            return redirect("inspection:finding-detail", pk=finding.pk)
    return render(
        request, "inspection/finding_respond.html", {"form": form, "finding": finding}, status=_form_status(form)
    )


@require_POST
@login_required
def finding_close_view(request, pk: int):
    user = request.user
    finding = _visible_finding(user, pk)
    if not permissions.can_raise(user):
        raise PermissionDenied(_("Only an HMIC inspector can close a finding"))
    try:
        services.finding_close(user=user, finding=finding)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Finding closed"))
    return redirect("inspection:finding-detail", pk=finding.pk)
