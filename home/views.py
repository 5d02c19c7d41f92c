"""The home page: who the signed-in user is, the forces they act for, and what is waiting for them.
It needs the whole domain ("waiting for you" reads the work of every app), so it lives at the top of
the layers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.selectors import waiting_for
from collaboration.selectors import parties_to_confirm
from core.roles import Role, has_role, roles_of, sees_all_forces
from cycle.permissions import can_set_deadlines
from cycle.selectors import LATE_LIMIT, late_forces, pressing_steps
from forces.selectors import forces_for_user
from inspection.selectors import inspection_waiting


@login_required
def home(request):
    """The signed-in user's forces and roles, what is waiting for them (with the deadline of each
    step due soon or late; for a national administrator, the forces late against the deadlines), and
    where to go next."""
    waiting = waiting_for(user=request.user)
    pressing = pressing_steps(assessments={item.assessment.pk: item.assessment for item in waiting}.values())
    late = late_forces(user=request.user) if has_role(request.user, Role.NATIONAL_ADMIN) else []
    started = [item for item in late if item.assessment is not None]
    not_started: dict[str, list] = {}
    for item in late:
        if item.assessment is None:
            not_started.setdefault(item.period, []).append(item)
    return render(
        request,
        "home/home.html",
        {
            "forces": forces_for_user(user=request.user),
            "roles": sorted(role.value for role in roles_of(request.user)),
            "sees_all_forces": sees_all_forces(request.user),
            "waiting": [{"item": item, "deadline": pressing.get(item.assessment.pk)} for item in waiting],
            "late": started[:LATE_LIMIT],
            "late_more": max(0, len(started) - LATE_LIMIT),
            "not_started": [
                {"period": period, "forces": items, "due": items[0].late_step.due}
                for period, items in not_started.items()
            ],
            "can_set_deadlines": can_set_deadlines(request.user),
            "inspection_waiting": inspection_waiting(user=request.user),
            "to_confirm": parties_to_confirm(user=request.user),
        },
    )
