"""One requirement's page: its judgement, narrative and evidence, its challenges and its change
history. Any new link or file is saved in the same transaction as the response (all or nothing, and
a file whose transaction rolled back is removed); an edit someone else saved since the page was
opened is a 409 that keeps the form and names them. A user who may read but not change the
assessment sees the page without the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments import selectors, services
from assessments.forms import RESPONSE_ERROR_FIELDS, ResponseForm, ResponseOwnerForm, add_service_errors
from assessments.models import Evidence, EvidenceKind, Response
from assessments.permissions import can_edit_assessment
from assessments.records import ANSWER_TEXT_FIELDS
from assessments.records.labels import field_label
from assessments.views.challenges import response_challenges_context
from assessments.views.common import FORM_METHODS, conflict_page, form_status, refuse_change, workflow_context
from capabilities.structure import edition_structure
from core.people import display_name
from core.templatetags.govuk import govuk_datetime
from core.uploads import ACCEPTED_DESCRIPTION


def _when(moment) -> str:
    """GOV.UK style, the one way times are written: 3 June 2025 at 2:05pm."""
    return govuk_datetime(moment)


@dataclass(frozen=True)
class TextChange:
    """A written field of the answer changed: long text (a narrative) by its new length, short text
    from one value to another."""

    label: str
    length: int | None = None
    before: str = ""
    after: str = ""


@dataclass
class HistoryEntry:
    """One saved change to a response, for the change history on its page."""

    record: object
    judgement: tuple[str, str] | None = None
    texts: list[TextChange] = field(default_factory=list)
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(self.created or self.judgement or self.texts or self.evidence_added or self.evidence_removed)


def _text_change(name: str, before, after) -> TextChange:
    label = field_label(Response, name)
    if isinstance(Response._meta.get_field(name), models.TextField):
        return TextChange(label, length=len(after or ""))
    return TextChange(label, before=before or "none", after=after or "none")


def response_history(response: Response, *, levels: dict[int, str]) -> list[HistoryEntry]:
    """Who changed what and when, newest first, in three queries however long the history (four when
    it names an owner).

    Changes to the judgement, the owner and the answer's written fields (records.ANSWER_TEXT_FIELDS)
    come from `diff_against`; evidence changes from the historical link rows, read in one query rather than per
    record as `diff_against` would.
    """
    history_model = Response.history.model
    links_model = history_model._meta.get_field("historicalresponse_evidence").related_model
    records = list(
        response.history.select_related("history_user", "history_user__profile").order_by("history_date", "history_id")
    )
    links: dict[int, set[int]] = {record.history_id: set() for record in records}
    for history_id, evidence_id in links_model.objects.filter(history_id__in=list(links)).values_list(
        "history_id", "evidence_id"
    ):
        links[history_id].add(evidence_id)
    mentioned = set().union(*links.values()) if links else set()
    titles = dict(Evidence.objects.filter(id__in=mentioned).values_list("id", "title"))
    # Owners by name and job title; read only when the history names any (most responses: none).
    owner_ids = {record.owner_id for record in records if record.owner_id}
    owners = (
        {
            person.pk: display_name(person)
            for person in get_user_model().objects.filter(pk__in=owner_ids).select_related("profile")
        }
        if owner_ids
        else {}
    )

    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(record=record)
        if previous is None:
            entry.created = True
        else:
            delta = record.diff_against(previous, included_fields=["judgement", "owner", *ANSWER_TEXT_FIELDS])
            for change in delta.changes:
                if change.field == "judgement":
                    entry.judgement = (levels.get(change.old, "none"), levels.get(change.new, "none"))
                elif change.field == "owner":
                    entry.texts.append(
                        TextChange(
                            field_label(Response, "owner"),
                            before=owners.get(change.old, _("nobody")),
                            after=owners.get(change.new, _("nobody")),
                        )
                    )
                else:
                    entry.texts.append(_text_change(change.field, change.old, change.new))
            before, after = links[previous.history_id], links[record.history_id]
            entry.evidence_added = sorted(titles.get(item, "Deleted evidence") for item in after - before)
            entry.evidence_removed = sorted(titles.get(item, "Deleted evidence") for item in before - after)
        if entry.has_changes:
            entries.append(entry)
        previous = record
    entries.reverse()
    return entries


def _delete_stored_files(items: list[Evidence]) -> None:
    """Files written for evidence whose transaction rolled back would be orphans: remove them."""
    for item in items:
        if item.file:
            item.file.storage.delete(item.file.name)


def _save_response(request, *, response: Response, form: ResponseForm) -> Response:
    """Create any new evidence and save the response in one transaction: all or nothing."""
    data = form.cleaned_data
    force = response.assessment.force
    created: list[Evidence] = []
    owner = request.user.get_full_name() or request.user.get_username()
    try:
        with transaction.atomic():
            if data["new_link_url"].strip():
                created.append(
                    services.evidence_create(
                        user=request.user,
                        force=force,
                        kind=EvidenceKind.LINK,
                        title=data["new_link_title"].strip(),
                        owner=owner,
                        evidence_date=timezone.localdate(),
                        url=data["new_link_url"],
                    )
                )
            if data["new_file"]:
                created.append(
                    services.evidence_create(
                        user=request.user,
                        force=force,
                        kind=EvidenceKind.FILE,
                        title=data["new_file_title"].strip(),
                        owner=owner,
                        evidence_date=timezone.localdate(),
                        upload=data["new_file"],
                    )
                )
            return services.response_update(
                user=request.user,
                response=response,
                expected_version=data["version"],
                answer=form.answer(added_evidence=[item.pk for item in created]),
            )
    except Exception:
        _delete_stored_files(created)
        raise


def _accepted_files() -> str:
    return f"{ACCEPTED_DESCRIPTION}, smaller than {settings.EVIDENCE_MAX_UPLOAD_BYTES // (1024 * 1024)} MB"


def _next_url(response: Response) -> str:
    following = (
        selectors.requirements_of(response.assessment)
        .filter(position__gt=response.requirement.position)
        .values_list("ref", flat=True)
        .first()
    )
    if following is None:
        return reverse("assessments:check", kwargs={"pk": response.assessment_id})
    return reverse("assessments:response", kwargs={"pk": response.assessment_id, "ref": following})


def requirement_position(response: Response) -> dict:
    """ "Requirement n of 38" and the previous and next requirements' pages (no query once the edition's
    structure is read: capabilities.structure)."""
    refs = edition_structure(response.assessment.edition).refs
    index = refs.index(response.requirement.ref) if response.requirement.ref in refs else 0

    def page(ref: str | None) -> dict | None:
        if ref is None:
            return None
        return {"ref": ref, "url": reverse("assessments:response", kwargs={"pk": response.assessment_id, "ref": ref})}

    return {
        "number": index + 1,
        "total": len(refs),
        "previous": page(refs[index - 1] if index > 0 else None),
        "next": page(refs[index + 1] if index + 1 < len(refs) else None),
    }


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def response_view(request, pk: int, ref: str):
    """One requirement: judgement, narrative and evidence, its challenges, and the change history."""
    response = selectors.response_workflow_get(user=request.user, assessment_pk=pk, ref=ref)
    assessment = response.assessment
    can_edit = can_edit_assessment(request.user, assessment)
    if request.method == "POST" and not can_edit:
        refuse_change(request.user, assessment)
    structure, requirement_id = edition_structure(assessment.edition), response.requirement_id
    threats_of = structure.threats_of.get(requirement_id, ())
    levels = list(structure.scale)
    evidence_items = (
        selectors.evidence_citable(
            force_id=assessment.force_id, linked_ids=response.evidence.values_list("id", flat=True)
        )
        if can_edit
        else []
    )
    form_kwargs = {"levels": levels, "evidence_items": evidence_items}
    status = 200
    stale = None
    form = None
    if can_edit:
        if request.method == "POST":
            continuing = request.POST.get("action") != "draft"
            form = ResponseForm(request.POST, request.FILES, continuing=continuing, **form_kwargs)
            if form.is_valid():
                try:
                    saved = _save_response(request, response=response, form=form)
                except services.StaleVersion as exc:
                    stale = exc.current
                    data = request.POST.copy()
                    data["version"] = str(stale.version)
                    form = ResponseForm(data, continuing=continuing, **form_kwargs)
                    form.is_valid()
                    editor = stale.updated_by
                    who = display_name(editor) if editor else "someone"
                    form.add_error(
                        None, f"This response was changed by {who} at {_when(stale.updated_at)} since you opened it"
                    )
                    status = 409
                except ValidationError as exc:
                    add_service_errors(form, exc, RESPONSE_ERROR_FIELDS)
                    status = 400
                else:
                    if continuing:
                        return redirect(_next_url(saved))
                    messages.success(request, f"Your response to {saved.requirement.ref} has been saved as a draft")
                    return redirect("assessments:response", pk=assessment.pk, ref=saved.requirement.ref)
            else:
                status = 400
        else:
            form = ResponseForm(initial=ResponseForm.initial_for(response), **form_kwargs)
    owner_form = None
    if can_edit:
        owner_form = ResponseOwnerForm(
            initial={"owner": response.owner_id},
            people=selectors.assignable_people(force_id=assessment.force_id),
            prefix="assign",
        )
    return render(
        request,
        "assessments/response.html",
        {
            "assessment": assessment,
            "response": response,
            "cited_evidence": selectors.evidence_cited(response=response),
            "requirement": response.requirement,
            "requirement_areas": [a for a in structure.areas if a.id in structure.areas_of.get(requirement_id, ())],
            "requirement_threats": [t for t in structure.threats if t.id in threats_of],
            "form": form,
            "owner_form": owner_form,
            "stale": stale,
            "can_edit": can_edit,
            **workflow_context(request.user, assessment),
            **response_challenges_context(request.user, response),
            "history": response_history(response, levels={level.id: level.label for level in levels}),
            "narrative_max": settings.SPR_NARRATIVE_MAX_LENGTH,
            "accepted_files": _accepted_files(),
            "position": requirement_position(response),
        },
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def response_owner_view(request, pk: int, ref: str):
    """Assign a requirement to a person of the force (or to nobody): the response page's "Owner" form
    posts here; the page on its own shows the form again with any error. Not a change to the answer,
    so nobody's open edit of it is made stale."""
    response = selectors.response_workflow_get(user=request.user, assessment_pk=pk, ref=ref)
    assessment = response.assessment
    if not can_edit_assessment(request.user, assessment):
        refuse_change(request.user, assessment)
    people = selectors.assignable_people(force_id=assessment.force_id)
    form = ResponseOwnerForm(
        request.POST if request.method == "POST" else None,
        initial={"owner": response.owner_id},
        people=people,
        prefix="assign",
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.response_assign(user=request.user, response=response, owner=form.cleaned_data["owner"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if saved.owner_id:
                text = _("Requirement %(ref)s is now owned by %(name)s") % {
                    "ref": saved.requirement.ref,
                    "name": display_name(saved.owner),
                }
            else:
                text = _("Requirement %(ref)s no longer has an owner") % {"ref": saved.requirement.ref}
            messages.success(request, text)
            return redirect("assessments:response", pk=assessment.pk, ref=saved.requirement.ref)
    return render(
        request,
        "assessments/response_owner.html",
        {"assessment": assessment, "response": response, "requirement": response.requirement, "form": form},
        status=form_status(form),
    )
