"""The national administrator's edition pages: upload a draft, read its changes, map it to the edition
it follows, and publish it. Thin: each calls the same services as the API (capabilities.api.views).

Only national administrators open these pages (403 for everyone else, as in the API); a draft is
not found (404) by anyone else anywhere.
"""

from __future__ import annotations

import yaml
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capabilities.editions import EditionFileError
from capabilities.editions.drafts import edition_diff, edition_upload
from capabilities.editions.mapping import (
    KINDS,
    REQUIREMENTS,
    THREATS,
    edition_mapping,
    edition_mapping_replace,
    edition_publish,
    item_mapping_save,
    retirements_save,
    suggestions,
)
from capabilities.forms import EditionUploadForm, ItemMappingForm, MappingUploadForm, PublishForm, RetireForm
from capabilities.permissions import can_manage_editions
from core.exceptions import Conflict
from core.forms.govuk import add_service_errors
from threats.models import Edition

MAPPING_FILE_MAX_BYTES = 1024 * 1024


def _require_manager(user) -> None:
    if not can_manage_editions(user):
        raise PermissionDenied("Only a national administrator can upload, map or publish an edition")


def _edition(request, code: str) -> Edition:
    _require_manager(request.user)
    try:
        return Edition.objects.managed_by(request.user).select_related("follows").get(code=code)
    except Edition.DoesNotExist:
        raise Http404("No such edition") from None


@require_http_methods(["GET", "POST"])
@login_required
def edition_upload_view(request):
    _require_manager(request.user)
    form = EditionUploadForm(request.POST, request.FILES) if request.method == "POST" else EditionUploadForm()
    problems, status = [], 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            edition = edition_upload(user=request.user, name=upload.name, content=upload.read())
        except EditionFileError as error:
            problems, status = error.errors, 400
        else:
            messages.success(request, _("The draft edition was uploaded. Check its changes, then map it."))
            return redirect("editions:changes", code=edition.code)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "capabilities/edition_upload.html",
        {"form": form, "problems": problems, "drafts": Edition.objects.managed_by(request.user).filter(status="draft")},
        status=status,
    )


@require_http_methods(["GET"])
@login_required
def edition_changes_view(request, code: str):
    """A published edition's changes are for everyone signed in; a draft's, for its administrators."""
    try:
        edition = Edition.objects.managed_by(request.user).select_related("follows").get(code=code)
    except Edition.DoesNotExist:
        raise Http404("No such edition") from None
    return render(
        request, "capabilities/edition_changes.html", {"edition": edition, "diff": edition_diff(edition=edition)}
    )


def _mapping_page(request, edition, *, upload=None, retire_forms=None, problems=None, status=200):
    state = edition_mapping(edition=edition)
    if retire_forms is None and state.previous is not None:
        retire_forms = {kind.noun: _retire_form(kind, state, None) for kind in KINDS}
    return render(
        request,
        "capabilities/edition_mapping.html",
        {
            "edition": edition,
            "state": state,
            "upload": upload or MappingUploadForm(),
            "retire_forms": retire_forms or {},
            "upload_problems": problems or [],
            "editable": edition.is_draft and state.previous is not None,
        },
        status=status,
    )


def _retire_form(kind, state, data):
    part = state.requirements if kind is REQUIREMENTS else state.threats
    choices = [
        (getattr(row, kind.key), f"{getattr(row, kind.key)}: {kind.wording(row)}")
        for row in part.old
        if row.pk not in part.continued_ids
    ]
    initial = {"retired": [getattr(row, kind.key) for row in part.retired]}
    label = _("Retired %(plural)s of %(code)s") % {"plural": kind.plural, "code": state.previous.code}
    return RetireForm(data, choices=choices, label=label, initial=initial, prefix=f"retire-{kind.noun}")


@require_http_methods(["GET"])
@login_required
def edition_mapping_view(request, code: str):
    return _mapping_page(request, _edition(request, code))


@require_http_methods(["POST"])
@login_required
def mapping_upload_view(request, code: str):
    edition = _edition(request, code)
    upload = MappingUploadForm(request.POST, request.FILES)
    problems = []
    if upload.is_valid():
        content = upload.cleaned_data["file"].read()
        try:
            if len(content) > MAPPING_FILE_MAX_BYTES:
                raise ValidationError([_("The selected file must be smaller than 1 MB")])
            try:
                data = yaml.safe_load(content.decode("utf-8"))
            except (UnicodeDecodeError, yaml.YAMLError):
                raise ValidationError([_("The selected file must be a YAML file")]) from None
            edition_mapping_replace(user=request.user, edition=edition, data=data)
        except ValidationError as error:
            problems = error.messages
        except Conflict as error:
            problems = [error.message]
        else:
            messages.success(request, _("The mapping was uploaded."))
            return redirect("editions:mapping", code=edition.code)
    return _mapping_page(request, edition, upload=upload, problems=problems, status=400)


@require_http_methods(["POST"])
@login_required
def retire_view(request, code: str, kind: str):
    edition = _edition(request, code)
    chosen = {k.noun: k for k in KINDS}.get(kind)
    if chosen is None or edition.follows is None:
        raise Http404("Nothing to retire")
    state = edition_mapping(edition=edition)
    form = _retire_form(chosen, state, request.POST)
    if form.is_valid():
        keys = set(form.cleaned_data["retired"])
        part = state.requirements if chosen is REQUIREMENTS else state.threats
        try:
            retirements_save(
                user=request.user,
                kind=chosen,
                edition=edition,
                retired=[row for row in part.old if getattr(row, chosen.key) in keys],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except Conflict as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The retired %(plural)s were saved.") % {"plural": chosen.plural})
            return redirect("editions:mapping", code=edition.code)
    forms = {k.noun: _retire_form(k, state, None) for k in KINDS} | {chosen.noun: form}
    return _mapping_page(request, edition, retire_forms=forms, status=400)


def _item_page(request, code: str, ref: str, kind):
    edition = _edition(request, code)
    if edition.follows is None:
        raise Http404("This edition follows no other")
    item = kind.model.objects.filter(edition=edition, **{kind.key: ref}).first()
    if item is None:
        raise Http404(f"No such {kind.noun}")
    old = list(kind.model.objects.filter(edition=edition.follows).order_by("position"))
    mapping = kind.mapping.objects.filter(**{kind.link: item}).first()
    suggested = [] if mapping else suggestions(kind=kind, item=item, candidates=old)
    initial = {
        "previous": [getattr(row, kind.key) for row in (mapping.previous.all() if mapping else suggested)],
        "same_meaning": mapping.same_meaning if mapping else False,
    }
    suggested_keys = {getattr(row, kind.key) for row in suggested}
    hints = {
        getattr(row, kind.key): (_("Suggested: similar wording. ") if getattr(row, kind.key) in suggested_keys else "")
        + kind.wording(row)
        for row in old
    }
    form = ItemMappingForm(
        request.POST if request.method == "POST" else None,
        choices=[(getattr(row, kind.key), getattr(row, kind.key) if kind is REQUIREMENTS else row.name) for row in old],
        hints=hints,
        label=_("Which %(plural)s of %(code)s does it continue?")
        % {"plural": kind.plural, "code": edition.follows.code},
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            keys = set(form.cleaned_data["previous"])
            try:
                item_mapping_save(
                    user=request.user,
                    kind=kind,
                    edition=edition,
                    item=item,
                    previous=[row for row in old if getattr(row, kind.key) in keys],
                    same_meaning=form.cleaned_data["same_meaning"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The mapping of %(key)s was saved.") % {"key": ref})
                return redirect("editions:mapping", code=edition.code)
    return render(
        request,
        "capabilities/edition_map_item.html",
        {
            "edition": edition,
            "kind": kind,
            "item": item,
            "form": form,
            "mapping": mapping,
            "suggested": suggested,
            "editable": edition.is_draft,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def map_requirement_view(request, code: str, ref: str):
    return _item_page(request, code, ref, REQUIREMENTS)


@require_http_methods(["GET", "POST"])
@login_required
def map_threat_view(request, code: str, ref: str):
    return _item_page(request, code, ref, THREATS)


@require_http_methods(["GET", "POST"])
@login_required
def edition_publish_view(request, code: str):
    edition = _edition(request, code)
    form = PublishForm(request.POST) if request.method == "POST" else PublishForm()
    details, status = [], 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                edition_publish(user=request.user, edition=edition, effective_from=form.cleaned_data["effective_from"])
            except ValidationError as error:
                add_service_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
                details, status = error.details, 409
            else:
                messages.success(request, _("%(title)s was published.") % {"title": edition.title})
                return redirect("editions:detail", code=edition.code)
    state = edition_mapping(edition=edition)
    return render(
        request,
        "capabilities/edition_publish.html",
        {"edition": edition, "form": form, "details": details, "state": state},
        status=status,
    )
