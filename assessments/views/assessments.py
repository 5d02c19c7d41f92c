"""The assessment list, creating an assessment, the task list and check answers. Creating one goes
through assessments.services; the task list and check answers show the assessment's workflow state
and the actions the user may take, from `workflow`, which also holds the page the submit form posts
to.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from assessments import selectors, services
from assessments.forms import AssessmentCreateForm, TaskOwnerFilterForm, add_service_errors
from assessments.permissions import can_create_assessment, can_edit_assessment
from assessments.views.common import FORM_METHODS, form_status, manageable_forces, post_data
from assessments.views.workflow import render_check_answers, task_list_context
from core.roles import sees_all_forces
from threats.selectors import edition_list


def _creatable_forces(user):
    return manageable_forces(user, lambda force: can_create_assessment(user, force))


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
    # Published editions only (a national administrator's list includes drafts); none chosen: the
    # service takes the edition in force on the period's first day.
    editions = edition_list(user=request.user).exclude(status="draft")
    form = AssessmentCreateForm(post_data(request), forces=forces, editions=editions)
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
    return render(request, "assessments/assessment_create.html", {"form": form}, status=form_status(form))


@require_GET
@login_required
def assessment_detail_view(request, pk: int):
    """The task list: every requirement grouped by threat and by area, with its status and owner, the
    statements given so far and the workflow actions the user may take; `?owner=me` or `?owner=<id>`
    lists only the requirements that person owns (a value not on the list is a 400 with the error)."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    owner_filter = TaskOwnerFilterForm(
        request.GET if "owner" in request.GET else None,
        people=selectors.assignable_people(force_id=assessment.force_id),
    )
    owner_id = owner_filter.owner_id(request.user) if owner_filter.is_bound else None
    tasks = selectors.task_list(assessment=assessment, owner_id=owner_id)
    words: dict = {}
    for group in tasks.by_section:
        group.rows_html = task_rows_html(group.rows, words)
    return render(
        request,
        "assessments/assessment_detail.html",
        {
            **task_list_context(request.user, assessment),
            "assessment": assessment,
            "tasks": tasks,
            "owner_filter": owner_filter,
            "filtered_by_owner": owner_id is not None,
            "can_edit": can_edit_assessment(request.user, assessment),
            "new_requirements": selectors.new_requirements_of(assessment=assessment),
        },
        status=form_status(owner_filter),
    )


@require_GET
@login_required
def check_answers_view(request, pk: int):
    """Every answer on one page, with the submit form (see workflow.submit_view)."""
    return render_check_answers(request, selectors.assessment_workflow_get(user=request.user, pk=pk))


def task_rows_html(rows, words: dict) -> SafeString:
    """A task list group's rows (GOV.UK task list items: the requirement's link, its hint with owner,
    threat and area tags and agreements, and its status) as escaped HTML. Written out here rather than
    in the template because a task list has a few dozen to a thousand rows and the template engine's
    cost per variable made them most of the page's time; every value goes through escape(). Pass the
    same `words` to every group of a page: the translated words are looked up once."""
    if not words:
        words.update(
            completed=escape(_("Completed")),
            in_progress=f'<strong class="govuk-tag">{escape(_("In progress"))}</strong>',
            not_started=f'<strong class="govuk-tag govuk-tag--grey">{escape(_("Not started"))}</strong>',
            delivered=escape(_("Delivered under agreement:")),
        )
    parts = []
    for row in rows:
        item, rid = row.item, escape(row.id)
        hint = escape(item.hint)
        if item.owner:
            hint += " " + escape(_("Owner: %(name)s.") % {"name": item.owner})
        if item.threats or item.areas:
            tags = [(name, "blue") for name in item.threats] + [(name, "grey") for name in item.areas]
            items = "".join(
                f'<li><strong class="govuk-tag govuk-tag--{tone}">{escape(name)}</strong></li>' for name, tone in tags
            )
            hint += f'\n        <ul class="govuk-list spr-task-tags">{items}</ul>'
        if item.agreements:
            agreements = escape("; ".join(item.agreements))
            hint += f'\n        <span class="spr-task-agreement">{words["delivered"]} {agreements}</span>'
        status = words.get(item.status, words["not_started"])
        parts.append(
            '<li class="govuk-task-list__item govuk-task-list__item--with-link">'
            '<div class="govuk-task-list__name-and-hint">'
            f'<a class="govuk-link govuk-task-list__link" href="{escape(item.url)}" '
            f'aria-describedby="{rid}-hint {rid}-status">{escape(item.ref)}</a>'
            f'<div id="{rid}-hint" class="govuk-task-list__hint">{hint}</div></div>'
            f'<div class="govuk-task-list__status" id="{rid}-status">{status}</div></li>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every interpolated value went through escape()
