"""Pages for PCC office staff to fill in a self-assessment, and for everyone else to read it.

Every object is found through assessments.selectors (so another force's object is a 404) and every
write goes through assessments.services (so pages and the API cannot disagree). Users who may see
but not change an assessment (chief constable, PCC, HMIC) get the same pages without the forms;
a POST from them is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.downloads import evidence_file_response
from assessments.forms import (
    RESPONSE_ERROR_FIELDS,
    ActionForm,
    AssessmentCreateForm,
    DepartureForm,
    EvidenceForm,
    ResponseForm,
    add_service_errors,
)
from assessments.models import Evidence, EvidenceKind, Response
from assessments.permissions import (
    can_create_assessment,
    can_edit_assessment,
    can_manage_evidence,
    can_manage_force_records,
)
from assessments.views.workflow import (
    conflict_page,
    render_check_answers,
    response_challenges_context,
    task_list_context,
    workflow_context,
)
from core.exceptions import Conflict
from core.roles import sees_all_forces
from core.uploads import ACCEPTED_DESCRIPTION
from forces.models import Force
from forces.selectors import force_list, forces_for_user
from threats.selectors import edition_list

FORM_METHODS = ["GET", "POST"]


def _post(request):
    """The submitted data on a POST (even an empty one, which must show errors), else None."""
    return request.POST if request.method == "POST" else None


def _when(moment) -> str:
    """GOV.UK style: 3 June 2025 at 2:05pm."""
    local = timezone.localtime(moment)
    return f"{local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def _manageable_forces(user, predicate):
    """The forces the user may create records for: a national administrator picks any force."""
    candidates = force_list(user=user) if sees_all_forces(user) else forces_for_user(user=user)
    allowed = [force.id for force in candidates if predicate(force)]
    return Force.objects.filter(id__in=allowed).select_related("region").order_by("name")


def _creatable_forces(user):
    return _manageable_forces(user, lambda force: can_create_assessment(user, force))


def _evidence_forces(user):
    return _manageable_forces(user, lambda force: can_manage_evidence(user, force.id))


# ----------------------------------------------------------------------------- assessments


@require_GET
@login_required
def assessment_list_view(request):
    return render(
        request,
        "assessments/assessment_list.html",
        {
            "assessments": list(selectors.assessment_list(user=request.user)),
            "can_create": _creatable_forces(request.user).exists(),
            "sees_all_forces": sees_all_forces(request.user),
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def assessment_create_view(request):
    forces = _creatable_forces(request.user)
    if not forces.exists():
        raise PermissionDenied("You cannot create assessments")
    editions = edition_list(user=request.user)
    form = AssessmentCreateForm(
        _post(request),
        forces=forces,
        editions=editions,
        initial={"edition": editions.filter(status="in_force").first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = services.assessment_create(
                user=request.user,
                force=data["force"],
                edition=data["edition"],
                period=data["period"],
                start_from_previous=data["start_from_previous"],
                keep_judgements=data["keep_judgements"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Assessment for {assessment.period} created")
            return redirect("assessments:detail", pk=assessment.pk)
    return render(request, "assessments/assessment_create.html", {"form": form}, status=_status(form))


@require_GET
@login_required
def assessment_detail_view(request, pk: int):
    """The task list: every requirement grouped by threat and by area, with its status, the
    statements given so far and the workflow actions the user may take."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            **task_list_context(request.user, assessment),
            "assessment": assessment,
            "tasks": selectors.task_list(assessment=assessment),
            "can_edit": can_edit_assessment(request.user, assessment),
        },
    )


@require_GET
@login_required
def check_answers_view(request, pk: int):
    """Every answer on one page, with the submit form (see views_workflow.submit_view)."""
    return render_check_answers(request, selectors.assessment_workflow_get(user=request.user, pk=pk))


# ----------------------------------------------------------------------------- responses


@dataclass
class HistoryEntry:
    """One saved change to a response, for the change history on its page."""

    record: object
    judgement: tuple[str, str] | None = None
    narrative_changed: bool = False
    narrative_length: int = 0
    evidence_added: list[str] = field(default_factory=list)
    evidence_removed: list[str] = field(default_factory=list)
    created: bool = False

    @property
    def has_changes(self) -> bool:
        return bool(
            self.created or self.judgement or self.narrative_changed or self.evidence_added or self.evidence_removed
        )


def response_history(response: Response, *, levels: dict[int, str]) -> list[HistoryEntry]:
    """Who changed what and when, newest first, in three queries however long the history.

    Judgement and narrative changes come from `diff_against`; evidence changes from the historical
    link rows, read in one query rather than per record as `diff_against` would.
    """
    history_model = Response.history.model
    links_model = history_model._meta.get_field("historicalresponse_evidence").related_model
    records = list(response.history.select_related("history_user").order_by("history_date", "history_id"))
    links: dict[int, set[int]] = {record.history_id: set() for record in records}
    for history_id, evidence_id in links_model.objects.filter(history_id__in=list(links)).values_list(
        "history_id", "evidence_id"
    ):
        links[history_id].add(evidence_id)
    mentioned = set().union(*links.values()) if links else set()
    titles = dict(Evidence.objects.filter(id__in=mentioned).values_list("id", "title"))

    entries = []
    previous = None
    for record in records:
        entry = HistoryEntry(record=record)
        if previous is None:
            entry.created = True
        else:
            delta = record.diff_against(previous, included_fields=["judgement", "narrative"])
            for change in delta.changes:
                if change.field == "judgement":
                    entry.judgement = (levels.get(change.old, "none"), levels.get(change.new, "none"))
                elif change.field == "narrative":
                    entry.narrative_changed = True
                    entry.narrative_length = len(change.new or "")
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
            evidence_ids = [int(value) for value in data["evidence"]]
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
            evidence_ids.extend(item.pk for item in created)
            return services.response_update(
                user=request.user,
                response=response,
                expected_version=data["version"],
                judgement=data["judgement"],
                narrative=data["narrative"],
                evidence_ids=evidence_ids,
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


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def response_view(request, pk: int, ref: str):
    """One requirement: judgement, narrative and evidence, its challenges, and the change history."""
    response = selectors.response_workflow_get(user=request.user, assessment_pk=pk, ref=ref)
    assessment = response.assessment
    can_edit = can_edit_assessment(request.user, assessment)
    if request.method == "POST" and not can_edit:
        _refuse_change(request.user, assessment)
    levels = list(assessment.edition.judgement_levels.order_by("position"))
    evidence_items = list(selectors.evidence_list(user=request.user, force_id=assessment.force_id)) if can_edit else []
    form_kwargs = {"levels": levels, "evidence_items": evidence_items}
    initial = {
        "judgement": response.judgement.code,
        "narrative": response.narrative,
        "evidence": [str(item.pk) for item in response.evidence.all()],
        "version": response.version,
    }
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
                    who = (editor.get_full_name() or editor.get_username()) if editor else "someone"
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
            form = ResponseForm(initial=initial, **form_kwargs)
    return render(
        request,
        "assessments/response.html",
        {
            "assessment": assessment,
            "response": response,
            "requirement": response.requirement,
            "form": form,
            "stale": stale,
            "can_edit": can_edit,
            **workflow_context(request.user, assessment),
            **response_challenges_context(request.user, response),
            "history": response_history(response, levels={level.id: level.label for level in levels}),
            "narrative_max": settings.SPR_NARRATIVE_MAX_LENGTH,
            "accepted_files": _accepted_files(),
        },
        status=status,
    )


# ----------------------------------------------------------------------------- evidence


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
        },
    )


@require_http_methods(FORM_METHODS)
@login_required
def evidence_create_view(request):
    forces = _evidence_forces(request.user)
    if not forces.exists():
        raise PermissionDenied("You cannot add evidence")
    form = EvidenceForm(_post(request), request.FILES if request.method == "POST" else None, forces=forces)
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
    return render(request, "assessments/evidence_create.html", {"form": form}, status=_status(form))


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
    return render(request, "assessments/evidence_detail.html", {"item": item, "responses": responses})


@require_GET
@login_required
def evidence_download_view(request, pk: int):
    return evidence_file_response(selectors.evidence_get(user=request.user, pk=pk))


# ----------------------------------------------------------------------------- registers


def _refuse_change(user, assessment) -> None:
    """As the services decide: the force's own staff are refused by the state (409, with what to do
    instead); anyone else may never change it (403)."""
    if can_manage_force_records(user, assessment.force_id) and not assessment.is_editable:
        raise Conflict(
            f"This assessment is {assessment.get_status_display().lower()}, so it cannot be changed"
            + (
                ". Start a revision to change it."
                if assessment.is_frozen
                else ". Ask for it to be returned for changes."
            )
        )
    raise PermissionDenied("You cannot change this assessment")


def _register_write(request, assessment):
    if not can_edit_assessment(request.user, assessment):
        _refuse_change(request.user, assessment)


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
        _post(request),
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
        status=_status(form),
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
    form = ActionForm(_post(request), initial=initial, requirements=selectors.requirements_of(assessment))
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
        status=_status(form),
    )
