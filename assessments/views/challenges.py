"""The PCC's challenges: every challenge on an assessment with a form to challenge the whole of it,
raising one on a single response, and replying to or closing one (one view over `THREAD_VERBS`). Each
POST calls one service of assessments.workflow, which is asked first (403 or the 409 page) before a
form is shown. Every thread gets its own prefixed forms, so several on one page never share an
element id; a form with an error is shown again on a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import selectors, workflow
from assessments.forms import ChallengeForm, CloseChallengeForm, ReplyForm, add_service_errors
from assessments.models import Assessment, Challenge
from assessments.permissions import can_close_challenge, can_raise_challenge, can_reply_to_challenge
from assessments.views.common import FORM_METHODS, conflict_page, snapshot_sha, workflow_context


@dataclass(frozen=True)
class ThreadVerb:
    """Replying to a challenge or closing it: what the two differ in. Each form is prefixed with the
    verb and the challenge's id, on the thread and on the verb's own page alike."""

    form: type[forms.Form]
    prefix: str
    #: (user, challenge): the service's refusal (403, or the 409 page), asked before a form is shown.
    guard: Callable[..., None]
    #: (user=, challenge=, **the form's fields): the workflow service.
    service: Callable[..., object]
    #: Words of the verb's page and message; {challenge} is the challenge as it reads in a sentence.
    heading: str
    button: str
    success: str

    def form_for(self, challenge: Challenge, data=None) -> forms.Form:
        return self.form(data, prefix=f"{self.prefix}-{challenge.pk}")


THREAD_VERBS = {
    "reply": ThreadVerb(
        form=ReplyForm,
        prefix="reply",
        guard=workflow.require_can_reply,
        service=workflow.challenge_reply,
        heading=gettext_lazy("Reply to the {challenge}"),
        button=gettext_lazy("Add reply"),
        success=gettext_lazy("Your reply has been added to the challenge"),
    ),
    "close": ThreadVerb(
        form=CloseChallengeForm,
        prefix="close",
        guard=workflow.require_can_close,
        service=workflow.challenge_close,
        heading=gettext_lazy("Close the {challenge}"),
        button=gettext_lazy("Close the challenge"),
        success=gettext_lazy("The {challenge} has been closed"),
    ),
}


def with_thread_forms(user, challenges: list[Challenge]) -> list[Challenge]:
    """Mark each challenge with what the user may do to it and give it its own prefixed forms, so
    several threads on one page never share an element id."""
    for challenge in challenges:
        challenge.can_reply = can_reply_to_challenge(user, challenge)
        challenge.can_close = can_close_challenge(user, challenge)
        challenge.url = selectors.challenge_url(challenge)
        challenge.reply_form = THREAD_VERBS["reply"].form_for(challenge) if challenge.can_reply else None
        challenge.close_form = THREAD_VERBS["close"].form_for(challenge) if challenge.can_close else None
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
            "snapshot_sha": snapshot_sha(assessment),
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
        workflow.require_can_raise(request.user, assessment)
        form = ChallengeForm(request.POST, prefix="challenge")
        if form.is_valid():
            try:
                challenge = workflow.challenge_raise(
                    user=request.user, assessment=assessment, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, gettext("Your challenge on the whole assessment has been raised"))
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
    workflow.require_can_raise(request.user, assessment)
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
                messages.success(request, gettext("Your challenge on %(ref)s has been raised") % {"ref": ref})
                return redirect(selectors.challenge_url(challenge))
    return _render_challenge_form(
        request,
        assessment=assessment,
        heading=gettext("Challenge the response to requirement %(ref)s") % {"ref": ref},
        form=form,
        button=gettext("Raise the challenge"),
        response=response,
        status=status,
    )


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def challenge_thread_view(request, pk: int, challenge_pk: int, verb: str):
    """Reply to a challenge or close it (the forms are also under each thread): `THREAD_VERBS[verb]`."""
    page = THREAD_VERBS[verb]
    assessment, challenge = _challenge_get(request, pk, challenge_pk)
    page.guard(request.user, challenge)
    form = page.form_for(challenge, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                page.service(user=request.user, challenge=challenge, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, page.success.format(challenge=_lower_first(challenge)))
                return redirect(selectors.challenge_url(challenge))
    return _render_challenge_form(
        request,
        assessment=assessment,
        heading=page.heading.format(challenge=_lower_first(challenge)),
        form=form,
        button=page.button,
        challenge=challenge,
        status=status,
    )
