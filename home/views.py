"""The home page: who the signed-in user is, the forces they act for, and what is waiting for them.
It needs the whole domain ("waiting for you" reads the work of every app), so it lives at the top of
the layers."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from assessments.selectors import waiting_for
from collaboration.selectors import parties_to_confirm
from core.roles import roles_of, sees_all_forces
from forces.selectors import forces_for_user


@login_required
def home(request):
    """The signed-in user's forces and roles, what is waiting for them, and where to go next."""
    return render(
        request,
        "home/home.html",
        {
            "forces": forces_for_user(user=request.user),
            "roles": sorted(role.value for role in roles_of(request.user)),
            "sees_all_forces": sees_all_forces(request.user),
            "waiting": waiting_for(user=request.user),
            "to_confirm": parties_to_confirm(user=request.user),
        },
    )
