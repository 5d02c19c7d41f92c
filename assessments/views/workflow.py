"""Pages of the accountability workflow (SPR §1.3, §1.11): submitting, returning, the chief
constable's response, the PCC's challenges, sign-off, publication to HMIC, revisions and history.

Each POST calls one service of assessments.workflow. Before showing a form the page asks the same
question the service will: a role or force that may never take the action gets a 403, a state that
does not allow it now gets the 409 page. Buttons appear only when `assessments.permissions` allows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from django.apps import apps
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, workflow
from assessments.forms import (
    ChallengeForm,
    CloseChallengeForm,
    ConfirmForm,
    ReplyForm,
    RespondForm,
    ReturnForm,
    SignOffForm,
    SubmitForm,
    add_service_errors,
)
from assessments.models import Assessment, AssessmentStatus, Challenge, ChallengeStatus, Evidence, ResponseStatus
from assessments.permissions import (
    can_close_challenge,
    can_edit_assessment,
    can_raise_challenge,
    can_reply_to_challenge,
    can_transition,
)
from core.exceptions import Conflict
from threats.models import JudgementLevel

FORM_METHODS = ["GET", "POST"]
#: Audit entries per page of the history.
HISTORY_PAGE_SIZE = 50


def conflict_page(view):
    """Render a service's Conflict as the 409 page, with its message and any details."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Conflict as exc:
            return render(
                request,
                "assessments/conflict.html",
                {"message": exc.message, "details": exc.details, "assessment_pk": kwargs.get("pk")},
                status=409,
            )

    return wrapper


def _guard(user, assessment: Assessment, action: str) -> None:
    """What the service will decide, asked before a form is shown: 403 for a role or force that may
    never take `action`, the 409 page for a state that does not allow it now."""
    workflow.require_transition(user, assessment, action)


# ----------------------------------------------------------------------------- shared page context


def _revision_of(user, assessment: Assessment) -> Assessment | None:
    """The revision started from a published assessment, if the user may see it (HMIC may not see a
    draft revision). Only published assessments can have one, so others cost no query."""
    if assessment.status != AssessmentStatus.PUBLISHED:
        return None
    return (
        Assessment.objects.visible_to(user)
        .filter(supersedes=assessment)
        .only("id", "revision", "status", "period")
        .first()
    )


def _snapshot_sha(assessment: Assessment) -> str:
    if assessment.status != AssessmentStatus.PUBLISHED:
        return ""
    try:
        return assessment.snapshot.sha256
    except Assessment.snapshot.RelatedObjectDoesNotExist:
        return ""


def workflow_context(user, assessment: Assessment) -> dict:
    """What every page of an assessment needs to show its state and the actions the user may take."""
    allowed = {action: can_transition(user, assessment, action) for action in workflow.TRANSITIONS}
    return {
        "allowed": allowed,
        "any_action": any(allowed.values()),
        "snapshot_sha": _snapshot_sha(assessment),
        "revision": _revision_of(user, assessment),
        "can_raise_challenge": can_raise_challenge(user, assessment),
    }


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
            messages.success(request, "The assessment has been submitted to the chief constable")
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
        "Return the assessment for changes",
        "Return for changes",
        "The assessment has been returned to the PCC's office for changes",
        "PCC office staff will be told the reason and can change the assessment again.",
    ),
    "respond": ActionPage(
        RespondForm,
        "Give the chief constable's response",
        "Give the response",
        "The chief constable's response has been given",
        "Your statement on the assessment as a whole. The PCC will consider it, may challenge it, and then sign off.",
    ),
    "sign_off": ActionPage(
        SignOffForm,
        "Sign off the assessment",
        "Sign off",
        "The assessment has been signed off",
        "Your annual assurance statement as police and crime commissioner. Every challenge must be closed first.",
    ),
    "publish": ActionPage(
        ConfirmForm,
        "Publish to HMIC",
        "Publish to HMIC",
        "The assessment has been published to HMIC",
        "HMIC inspectors will be able to read it. Once published this version cannot change: a change needs a "
        "revision.",
    ),
    "revise": ActionPage(
        ConfirmForm,
        "Start a revision",
        "Start a revision",
        "A revision has been started. The published version stays as it is",
        "A new draft copies this version's answers, judgements and evidence. The published version stays as it is.",
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


# ----------------------------------------------------------------------------- challenges


def _raise_guard(user, assessment: Assessment) -> None:
    """The service's order: the state first (409), then who is asking (403)."""
    workflow.require_can_raise(user, assessment)


def with_thread_forms(user, challenges: list[Challenge]) -> list[Challenge]:
    """Mark each challenge with what the user may do to it and give it its own prefixed forms, so
    several threads on one page never share an element id."""
    for challenge in challenges:
        challenge.can_reply = can_reply_to_challenge(user, challenge)
        challenge.can_close = can_close_challenge(user, challenge)
        challenge.url = selectors.challenge_url(challenge)
        challenge.reply_form = ReplyForm(prefix=f"reply-{challenge.pk}") if challenge.can_reply else None
        challenge.close_form = CloseChallengeForm(prefix=f"close-{challenge.pk}") if challenge.can_close else None
    return challenges


def response_challenges_context(user, response) -> dict:
    """The Challenges section of a response page."""
    challenges = []
    if getattr(response, "has_challenges", True):
        challenges = list(selectors.challenge_list(user=user, assessment=response.assessment).filter(response=response))
    can_raise = can_raise_challenge(user, response.assessment)
    return {
        "challenges": with_thread_forms(user, challenges),
        "can_raise_challenge": can_raise,
        "challenge_form": ChallengeForm(prefix="challenge") if can_raise else None,
    }


def _lower_first(challenge: Challenge) -> str:
    """'Challenge on 3.1(a)' as it reads inside a sentence."""
    text = str(challenge)
    return text[:1].lower() + text[1:]


def _challenge_get(request, pk: int, challenge_pk: int) -> tuple[Assessment, Challenge]:
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    challenge = get_object_or_404(selectors.challenge_list(user=request.user, assessment=assessment), pk=challenge_pk)
    return assessment, challenge


def _render_challenge_form(request, *, assessment, heading, form, button, challenge=None, response=None, status=200):
    """A challenge form on a page of its own: where a form with an error is shown again, and a
    fallback for the forms on the response and challenges pages."""
    if challenge is not None:
        with_thread_forms(request.user, [challenge])
    return render(
        request,
        "assessments/challenge_form.html",
        {
            "assessment": assessment,
            "heading": heading,
            "form": form,
            "button": button,
            "challenge": challenge,
            "response": response,
            "form_url": request.path,
            "snapshot_sha": _snapshot_sha(assessment),
        },
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def challenge_list_view(request, pk: int):
    """Every challenge on the assessment with its state, and a form to challenge the whole assessment."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    form = None
    status = 200
    if request.method == "POST":
        _raise_guard(request.user, assessment)
        form = ChallengeForm(request.POST, prefix="challenge")
        if form.is_valid():
            try:
                challenge = workflow.challenge_raise(
                    user=request.user, assessment=assessment, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your challenge on the whole assessment has been raised")
                return redirect(selectors.challenge_url(challenge))
        status = 400
    context = workflow_context(request.user, assessment)
    if form is None and context["can_raise_challenge"]:
        form = ChallengeForm(prefix="challenge")
    challenges = with_thread_forms(
        request.user, list(selectors.challenge_list(user=request.user, assessment=assessment))
    )
    return render(
        request,
        "assessments/challenge_list.html",
        {
            **context,
            "assessment": assessment,
            "challenges": challenges,
            "open_count": sum(challenge.is_open for challenge in challenges),
            "form": form,
        },
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def response_challenge_view(request, pk: int, ref: str):
    """Raise a challenge on one response (the form is also on the response page)."""
    response = selectors.response_get(user=request.user, assessment_pk=pk, ref=ref)
    assessment = response.assessment
    _raise_guard(request.user, assessment)
    form = ChallengeForm(request.POST if request.method == "POST" else None, prefix="challenge")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                challenge = workflow.challenge_raise(
                    user=request.user, assessment=assessment, text=form.cleaned_data["text"], response=response
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Your challenge on {ref} has been raised")
                return redirect(selectors.challenge_url(challenge))
    return _render_challenge_form(
        request,
        assessment=assessment,
        heading=f"Challenge the response to requirement {ref}",
        form=form,
        button="Raise the challenge",
        response=response,
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def challenge_reply_view(request, pk: int, challenge_pk: int):
    assessment, challenge = _challenge_get(request, pk, challenge_pk)
    workflow.require_can_reply(request.user, challenge)
    form = ReplyForm(request.POST if request.method == "POST" else None, prefix=f"reply-{challenge.pk}")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                workflow.challenge_reply(user=request.user, challenge=challenge, text=form.cleaned_data["text"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Your reply has been added to the challenge")
                return redirect(selectors.challenge_url(challenge))
    return _render_challenge_form(
        request,
        assessment=assessment,
        heading=f"Reply to the {_lower_first(challenge)}",
        form=form,
        button="Add reply",
        challenge=challenge,
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def challenge_close_view(request, pk: int, challenge_pk: int):
    assessment, challenge = _challenge_get(request, pk, challenge_pk)
    workflow.require_can_close(request.user, challenge)
    form = CloseChallengeForm(request.POST if request.method == "POST" else None, prefix=f"close-{challenge.pk}")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            workflow.challenge_close(user=request.user, challenge=challenge, note=form.cleaned_data["note"])
            messages.success(request, f"The {_lower_first(challenge)} has been closed")
            return redirect(selectors.challenge_url(challenge))
    return _render_challenge_form(
        request,
        assessment=assessment,
        heading=f"Close the {_lower_first(challenge)}",
        form=form,
        button="Close the challenge",
        challenge=challenge,
        status=status,
    )


# ----------------------------------------------------------------------------- history


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class AuditRow:
    """One audit entry as the history page shows it."""

    entry: object
    what: str
    changes: list[Change] = field(default_factory=list)


#: Fields that only tie a record to its parent: they say nothing a reader of the history needs.
QUIET_FIELDS = {"id", "assessment_id", "challenge_id"}
ACTION_WORDS = {"created": "Created", "changed": "Changed", "deleted": "Deleted"}


def _field_of(model, name: str):
    if model is None:
        return None
    for candidate in model._meta.get_fields():
        if getattr(candidate, "attname", None) == name or candidate.name == name:
            return candidate
    return None


def _as_text(value, lookup: dict | None = None) -> str:
    if value is None or value == "" or value == []:
        return "none"
    if isinstance(value, list):
        return ", ".join(_as_text(item, lookup) for item in value)
    if lookup is not None:
        return str(lookup.get(value, lookup.get(str(value), value)))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def audit_rows(entries, *, assessment: Assessment) -> list[AuditRow]:
    """Describe audit entries in words: field labels, choice labels, and people, judgements and
    evidence by name rather than id (three queries for a page, however many entries it holds)."""
    entries = list(entries)
    user_model = get_user_model()
    models = {entry.model: _model_or_none(entry.model) for entry in entries}
    wanted: dict[str, set] = {"user": set(), "judgement": set(), "evidence": set()}

    def kind_of(model_field) -> str | None:
        target = getattr(model_field, "related_model", None)
        if target is user_model:
            return "user"
        if target is JudgementLevel:
            return "judgement"
        if target is Evidence:
            return "evidence"
        return None

    for entry in entries:
        for name, pair in (entry.changes or {}).items():
            kind = kind_of(_field_of(models[entry.model], name))
            if kind:
                for value in pair:
                    wanted[kind].update(value if isinstance(value, list) else [value])
    names = {
        "user": {
            user.pk: user.get_full_name() or user.get_username()
            for user in user_model.objects.filter(pk__in=[v for v in wanted["user"] if v is not None])
        }
        if wanted["user"]
        else {},
        "judgement": dict(
            JudgementLevel.objects.filter(pk__in=[v for v in wanted["judgement"] if v is not None]).values_list(
                "pk", "label"
            )
        )
        if wanted["judgement"]
        else {},
        "evidence": dict(
            Evidence.objects.filter(
                force_id=assessment.force_id, pk__in=[v for v in wanted["evidence"] if v]
            ).values_list("pk", "title")
        )
        if wanted["evidence"]
        else {},
    }

    rows = []
    for entry in entries:
        model = models[entry.model]
        label = model._meta.verbose_name.capitalize() if model else entry.model
        row = AuditRow(entry=entry, what=f"{label}: {entry.object_repr}" if entry.object_repr else label)
        for name, pair in (entry.changes or {}).items():
            if name in QUIET_FIELDS or not isinstance(pair, list) or len(pair) != 2:
                continue
            model_field = _field_of(model, name)
            lookup = None
            kind = kind_of(model_field)
            if kind:
                lookup = names[kind]
            elif model_field is not None and getattr(model_field, "choices", None):
                lookup = {str(key): value for key, value in model_field.flatchoices}
            title = str(getattr(model_field, "verbose_name", name)).capitalize() if model_field else name
            row.changes.append(Change(title, _as_text(pair[0], lookup), _as_text(pair[1], lookup)))
        rows.append(row)
    return rows


def _model_or_none(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


@require_GET
@login_required
def history_view(request, pk: int):
    """The assessment's transitions, and its audit trail (with its records') a page at a time."""
    assessment = selectors.assessment_workflow_get(user=request.user, pk=pk)
    paginator = Paginator(selectors.audit_trail_of(assessment=assessment), HISTORY_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/history.html",
        {
            "assessment": assessment,
            "transitions": list(selectors.transitions_of(assessment=assessment)),
            "page": page,
            "rows": audit_rows(page.object_list, assessment=assessment),
            "snapshot_sha": _snapshot_sha(assessment),
            "history_url": reverse("assessments:history", args=[assessment.pk]),
        },
    )
