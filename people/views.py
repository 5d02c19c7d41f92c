"""People administration pages: the people list, a person's page (change role, force, name;
deactivate, reactivate), invitations (invite with a check-answers step, resend, cancel) and the
invitation acceptance page. Another force's person or invitation is a 404, as everywhere else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms.govuk import add_service_errors
from core.people import display_name, job_title_of
from core.roles import ROLES_BY_SLUG
from people import selectors, services, sso
from people.forms import (
    AcceptForm,
    InviteForm,
    OwnDetailsForm,
    PersonFields,
    SsoMappingChangeForm,
    SsoMappingForm,
)
from people.models import Profile
from people.permissions import can_manage_people, role_of

FORM_METHODS = ["GET", "POST"]


def _require_manager(request) -> None:
    if not can_manage_people(request.user):
        raise PermissionDenied(_("Only a national or force administrator can manage people"))


def _forces_of(person) -> list:
    return [membership.force for membership in person.memberships.all()]


def _row(person) -> dict:
    role = role_of(person)
    return {
        "person": person,
        "name": display_name(person),
        "role": role.value if role else _("No role"),
        "forces": ", ".join(force.name for force in _forces_of(person)) or _("All forces"),
    }


@require_GET
@login_required
def person_list_view(request):
    """Everyone the administrator manages, with their role, force and whether they can sign in."""
    _require_manager(request)
    rows = [_row(person) for person in selectors.person_list(user=request.user)]
    pending = selectors.invitation_list(user=request.user, pending_only=True).count()
    requests = list(sso.pending_list(user=request.user)[:100])
    return render(request, "people/person_list.html", {"rows": rows, "pending": pending, "access_requests": requests})


@require_GET
@login_required
def person_detail_view(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)  # first: someone else's person is a 404
    _require_manager(request)
    return render(
        request,
        "people/person_detail.html",
        {"row": _row(person), "person": person, "is_self": person.pk == request.user.pk},
    )


@require_http_methods(FORM_METHODS)
@login_required
def person_change_view(request, pk: int):
    """Change a person's name, job title, role and force."""
    person = selectors.person_get(user=request.user, pk=pk)  # first: someone else's person is a 404
    _require_manager(request)
    if person.pk == request.user.pk:
        raise PermissionDenied(_("You cannot change your own role, force or access"))
    role = role_of(person)
    forces = _forces_of(person)
    initial = {
        "name": person.get_full_name(),
        "job_title": getattr(getattr(person, "profile", None), "job_title", ""),
        "role": role.slug if role else "",
        "force": forces[0].code if forces else None,
    }
    form = PersonFields(request.POST if request.method == "POST" else None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.person_update(
                user=request.user,
                person=person,
                name=data["name"],
                job_title=data["job_title"],
                role=data["role"],
                force=data["force"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s’s details saved") % {"name": data["name"]})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_change.html",
        {"form": form, "person": person},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_http_methods(FORM_METHODS)
@login_required
def person_access_view(request, pk: int, action: str):
    """Confirm and then deactivate or reactivate a person."""
    person = selectors.person_get(user=request.user, pk=pk)  # first: someone else's person is a 404
    _require_manager(request)
    if action not in ("deactivate", "reactivate"):
        raise Http404
    error = None
    if request.method == "POST":
        service = services.person_deactivate if action == "deactivate" else services.person_reactivate
        try:
            service(user=request.user, person=person)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            text = _("%(name)s can no longer sign in") if action == "deactivate" else _("%(name)s can sign in again")
            messages.success(request, text % {"name": display_name(person)})
            return redirect("people:detail", pk=person.pk)
    return render(
        request,
        "people/person_access.html",
        {"person": person, "action": action, "error": error, "name": display_name(person)},
        status=400 if error else 200,
    )


def person_deactivate_view(request, pk: int):
    return person_access_view(request, pk=pk, action="deactivate")


def person_reactivate_view(request, pk: int):
    return person_access_view(request, pk=pk, action="reactivate")


@require_http_methods(FORM_METHODS)
@login_required
def own_details_view(request):
    """Anyone changes their own name and job title, as pages, e-mails and reports show them, and
    chooses whether reminders come one by one or only in the weekly digest."""
    user = request.user
    profile = Profile.objects.filter(user=user).first()
    initial = {
        "name": user.get_full_name(),
        "job_title": job_title_of(user),
        "digest_only": bool(profile and profile.digest_only),
    }
    form = OwnDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.own_details_update(user=user, **form.cleaned_data)
        messages.success(request, _("Your details are saved"))
        return redirect("home")
    return render(
        request, "people/own_details.html", {"form": form}, status=400 if form.is_bound and form.errors else 200
    )


# --- Invitations -------------------------------------------------------------------------------------


@require_GET
@login_required
def invitation_list_view(request):
    """Pending invitations, with resend and cancel, and the ones answered lately."""
    _require_manager(request)
    invitations = list(selectors.invitation_list(user=request.user)[:200])
    for invitation in invitations:
        invitation.role_name = ROLES_BY_SLUG[invitation.role].value
    pending = [i for i in invitations if i.status == i.Status.PENDING]
    others = [i for i in invitations if i.status != i.Status.PENDING]
    return render(request, "people/invitation_list.html", {"pending": pending, "others": others})


@require_http_methods(FORM_METHODS)
@login_required
def invite_view(request):
    """Invite a person: the form, then a check-answers page, then the invitation is sent."""
    _require_manager(request)
    form = InviteForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("edit") == "yes":  # "Change" on the check answers page: back to the form
            return render(request, "people/invite.html", {"form": form})
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "people/invite_check.html",
                {"form": form, "data": data, "role_name": ROLES_BY_SLUG[data["role"]].value},
            )
        try:
            invitation, _link = services.invitation_create(
                user=request.user,
                email=data["email"],
                name=data["name"],
                job_title=data["job_title"],
                role=data["role"],
                force=data["force"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(name)s at %(email)s") % {"name": invitation.name, "email": invitation.email},
            )
            return redirect("people:invitations")
    return render(request, "people/invite.html", {"form": form}, status=400 if form.is_bound and form.errors else 200)


def _invitation_action(request, pk: int, action: str):
    invitation = selectors.invitation_get(user=request.user, pk=pk)  # first: another's is a 404
    try:
        if action == "resend":
            services.invitation_resend(user=request.user, invitation=invitation)
            messages.success(request, _("A new link was sent to %(email)s") % {"email": invitation.email})
        else:
            services.invitation_cancel(user=request.user, invitation=invitation)
            messages.success(request, _("Invitation to %(email)s cancelled") % {"email": invitation.email})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("people:invitations")


@require_POST
@login_required
def invitation_resend_view(request, pk: int):
    return _invitation_action(request, pk, "resend")


@require_POST
@login_required
def invitation_cancel_view(request, pk: int):
    return _invitation_action(request, pk, "cancel")


@never_cache
@require_http_methods(FORM_METHODS)
def accept_view(request, token: str):
    """Accept an invitation: set a password (Django's validators apply), then be signed in."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "people/accept_invalid.html", status=404)
    form = AcceptForm(services.invitation_user(invitation), request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(token=token, password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            login(request, person, backend="people.backends.AccountBackend")
            messages.success(request, _("Welcome, %(name)s: your account is ready") % {"name": display_name(person)})
            return redirect("home")
    return render(
        request,
        "people/accept.html",
        {"form": form, "invitation": invitation, "role_name": ROLES_BY_SLUG[invitation.role].value},
        status=400 if form.is_bound and form.errors else 200,
    )


# --- Single sign-on group mapping and access requests ------------------------------------------------


@require_GET
@login_required
def sso_mapping_list_view(request):
    """The group claim values that give a role (and force) at single sign-on."""
    _require_manager(request)
    mappings = list(sso.mapping_list(user=request.user))
    for mapping in mappings:
        mapping.role_name = ROLES_BY_SLUG[mapping.role].value
    return render(request, "people/sso_mapping_list.html", {"mappings": mappings})


@require_http_methods(FORM_METHODS)
@login_required
def sso_mapping_create_view(request):
    """Map a group claim value to a role (force administrators: a force role in their own force)."""
    _require_manager(request)
    form = SsoMappingForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mapping = sso.mapping_create(user=request.user, group=data["group"], role=data["role"], force=data["force"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Group %(group)s mapped") % {"group": mapping.group})
            return redirect("people:sso-mappings")
    return render(
        request, "people/sso_mapping_new.html", {"form": form}, status=400 if form.is_bound and form.errors else 200
    )


@require_http_methods(FORM_METHODS)
@login_required
def sso_mapping_change_view(request, pk: int):
    """Change the role and force a mapped group gives."""
    mapping = sso.mapping_get(user=request.user, pk=pk)  # first: another force's mapping is a 404
    _require_manager(request)
    initial = {"role": mapping.role, "force": mapping.force.code if mapping.force else None}
    form = SsoMappingChangeForm(request.POST if request.method == "POST" else None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sso.mapping_update(user=request.user, mapping=mapping, role=data["role"], force=data["force"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Group %(group)s mapping saved") % {"group": mapping.group})
            return redirect("people:sso-mappings")
    return render(
        request,
        "people/sso_mapping_change.html",
        {"form": form, "mapping": mapping},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def sso_mapping_delete_view(request, pk: int):
    mapping = sso.mapping_get(user=request.user, pk=pk)  # first: another force's mapping is a 404
    sso.mapping_delete(user=request.user, mapping=mapping)
    messages.success(request, _("Group %(group)s is no longer mapped") % {"group": mapping.group})
    return redirect("people:sso-mappings")


@require_POST
@login_required
def sso_request_dismiss_view(request, pk: int):
    pending = sso.pending_get(user=request.user, pk=pk)  # first: another force's request is a 404
    sso.pending_dismiss(user=request.user, pending=pending)
    who = pending.name or pending.email
    messages.success(request, _("Access request from %(who)s dismissed") % {"who": who})
    return redirect("people:list")
