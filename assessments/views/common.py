"""What several pages of an assessment share: the methods a form page accepts, the data a form is
bound to and the status it is shown with, the forces a user may create records for, the 409 page for
a service's Conflict, the refusal of a change as the services would refuse it (409 for the force's
own staff when the state forbids it, 403 for anyone else), and the state and workflow actions every
page of an assessment shows (`workflow_context`).
"""

from __future__ import annotations

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from assessments import workflow
from assessments.models import Assessment, AssessmentStatus
from assessments.permissions import can_manage_force_records, can_raise_challenge, can_transition
from core.exceptions import Conflict
from core.roles import sees_all_forces
from forces.models import Force
from forces.selectors import force_list, forces_for_user

FORM_METHODS = ["GET", "POST"]


def post_data(request):
    """The submitted data on a POST (even an empty one, which must show errors), else None."""
    return request.POST if request.method == "POST" else None


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


def manageable_forces(user, predicate):
    """The forces the user may create records for: a national administrator picks any force."""
    candidates = force_list(user=user) if sees_all_forces(user) else forces_for_user(user=user)
    allowed = [force.id for force in candidates if predicate(force)]
    return Force.objects.filter(id__in=allowed).select_related("region").order_by("name")


def refuse_change(user, assessment) -> None:
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


def snapshot_sha(assessment: Assessment) -> str:
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
        "snapshot_sha": snapshot_sha(assessment),
        "revision": _revision_of(user, assessment),
        "can_raise_challenge": can_raise_challenge(user, assessment),
    }
