"""Pages of the accountability workflow (SPR §1.3, §1.11): what the task list and check answers show
of it, submitting, returning, the chief constable's response, sign-off, publication to HMIC and
revisions (the PCC's challenges are in `challenges`, the history in `history`). Each POST calls one
service of assessments.workflow. Before showing a form the page asks the same question the service
will: a role or force that may never take the action gets a 403, a state that does not allow it now
gets the 409 page. Buttons appear only when `assessments.permissions` allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assessments import selectors, workflow
from assessments.forms import ConfirmForm, RespondForm, ReturnForm, SignOffForm, SubmitForm, add_service_errors
from assessments.models import Assessment, AssessmentStatus, Challenge, ChallengeStatus, ResponseStatus
from assessments.permissions import can_edit_assessment
from assessments.views.common import FORM_METHODS, conflict_page, workflow_context
from core.exceptions import Conflict

# ----------------------------------------------------------------------------- task list and check answers


@dataclass(frozen=True)
class Returned:
    actor_name: str
    at: object
    note: str


def _last_return(assessment: Assessment) -> Returned | None:
    """Who returned a draft for changes, when and why, if that is how it became a draft again (read
    from the annotations of selectors.assessment_workflow_get)."""
    if assessment.status != AssessmentStatus.DRAFT or getattr(assessment, "last_action", None) != "return":
        return None
    return Returned(
        (assessment.last_actor_name or "").strip() or assessment.last_actor_username,
        assessment.last_at,
        assessment.last_note,
    )


def task_list_context(user, assessment: Assessment) -> dict:
    return {**workflow_context(user, assessment), "returned": _last_return(assessment)}


def render_check_answers(request, assessment: Assessment, *, form: SubmitForm | None = None, status: int = 200):
    """The check answers page, with the submit form when the user may submit."""
    tasks = selectors.answers_list(assessment=assessment)
    context = workflow_context(request.user, assessment)
    if form is None and context["allowed"]["submit"]:
        form = SubmitForm(initial={"share_with_hmic": assessment.share_with_hmic})
    return render(
        request,
        "assessments/check_answers.html",
        {
            **context,
            "assessment": assessment,
            "tasks": tasks,
            "unanswered": [response for response in tasks.responses if response.status != ResponseStatus.COMPLETED],
            "can_edit": can_edit_assessment(request.user, assessment),
            "form": form,
        },
        status=status,
    )


# ----------------------------------------------------------------------------- transitions


def _guard(user, assessment: Assessment, action: str) -> None:
    """What the service will decide, asked before a form is shown: 403 for a role or force that may
    never take `action`, the 409 page for a state that does not allow it now."""
    workflow.require_transition(user, assessment, action)


@require_POST
@login_required
@conflict_page
def submit_view(request, pk: int):
    """Submit to the chief constable from check answers; refused, with what is unanswered, if incomplete."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    _guard(request.user, assessment, "submit")
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            workflow.assessment_submit(
                user=request.user, assessment=assessment, share_with_hmic=form.cleaned_data["share_with_hmic"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("The assessment has been submitted to the chief constable"))
            return redirect("assessments:detail", pk=assessment.pk)
    return render_check_answers(request, assessment, form=form, status=400)


@dataclass(frozen=True)
class ActionPage:
    """A workflow action's own page: its form, words and the service call."""

    form: type
    heading: str
    button: str
    success: str
    lead: str = ""


ACTION_PAGES = {
    "return": ActionPage(
        ReturnForm,
        gettext_lazy("Return the assessment for changes"),
        gettext_lazy("Return for changes"),
        gettext_lazy("The assessment has been returned to the PCC's office for changes"),
        gettext_lazy("PCC office staff will be told the reason and can change the assessment again."),
    ),
    "respond": ActionPage(
        RespondForm,
        gettext_lazy("Give the chief constable's response"),
        gettext_lazy("Give the response"),
        gettext_lazy("The chief constable's response has been given"),
        gettext_lazy(
            "Your statement on the assessment as a whole. The PCC will consider it, may challenge it, "
            "and then sign off."
        ),
    ),
    "sign_off": ActionPage(
        SignOffForm,
        gettext_lazy("Sign off the assessment"),
        gettext_lazy("Sign off"),
        gettext_lazy("The assessment has been signed off"),
        gettext_lazy(
            "Your annual assurance statement as police and crime commissioner. Every challenge must be closed first."
        ),
    ),
    "publish": ActionPage(
        ConfirmForm,
        gettext_lazy("Publish to HMIC"),
        gettext_lazy("Publish to HMIC"),
        gettext_lazy("The assessment has been published to HMIC"),
        gettext_lazy(
            "HMIC inspectors will be able to read it. Once published this version cannot change: a change needs a "
            "revision."
        ),
    ),
    "revise": ActionPage(
        ConfirmForm,
        gettext_lazy("Start a revision"),
        gettext_lazy("Start a revision"),
        gettext_lazy("A revision has been started. The published version stays as it is"),
        gettext_lazy(
            "A new draft copies this version's answers, judgements and evidence. The published version stays as it is."
        ),
    ),
}


def _call(action: str, user, assessment: Assessment, data: dict) -> Assessment:
    if action == "return":
        return workflow.assessment_return(user=user, assessment=assessment, note=data["note"])
    if action == "respond":
        return workflow.assessment_respond(user=user, assessment=assessment, statement=data["statement"])
    if action == "sign_off":
        return workflow.assessment_sign_off(user=user, assessment=assessment, statement=data["statement"])
    if action == "publish":
        return workflow.assessment_publish(user=user, assessment=assessment)
    return workflow.assessment_revise(user=user, assessment=assessment)


def _open_challenges(user, assessment: Assessment) -> list[Challenge]:
    return list(selectors.challenge_list(user=user, assessment=assessment).filter(status=ChallengeStatus.OPEN))


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def transition_view(request, pk: int, action: str):
    """Return, respond, sign off, publish or start a revision: a form (or a confirmation) and one service."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    _guard(request.user, assessment, action)
    page = ACTION_PAGES[action]
    form = page.form(request.POST if request.method == "POST" else None)
    status = 200
    refusal = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = _call(action, request.user, assessment, form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except Conflict as exc:
                if action != "sign_off" or not exc.details:
                    raise
                # Refused because challenges are open: say so on the form, linking to each of them.
                refusal = exc.message
                status = 409
            else:
                messages.success(request, page.success)
                return redirect("assessments:detail", pk=result.pk)
    open_challenges = _open_challenges(request.user, assessment) if action == "sign_off" else []
    return render(
        request,
        "assessments/transition.html",
        {
            **workflow_context(request.user, assessment),
            "assessment": assessment,
            "action": action,
            "page": page,
            "form": form,
            "refusal": refusal,
            "open_challenges": [(challenge, selectors.challenge_url(challenge)) for challenge in open_challenges],
            "form_url": request.path,
        },
        status=status,
    )
