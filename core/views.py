from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessments.selectors import waiting_for
from core.health import broker_state, database_state, worker_state
from core.roles import roles_of, sees_all_forces
from forces.selectors import forces_for_user


@login_required
def home(request):
    """The signed-in user's forces and roles, what is waiting for them, and where to go next."""
    return render(
        request,
        "core/home.html",
        {
            "forces": forces_for_user(user=request.user),
            "roles": sorted(role.value for role in roles_of(request.user)),
            "sees_all_forces": sees_all_forces(request.user),
            "waiting": waiting_for(user=request.user),
        },
    )


@never_cache
@require_GET
def healthz(request):
    """Database and broker state; 200 while the database answers (the broker may be catching up)."""
    database = database_state()
    broker = broker_state()
    healthy = database["status"] == "up"
    worker = worker_state() if healthy else {"status": "unknown"}
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "database": database, "broker": broker, "worker": worker},
        status=200 if healthy else 503,
    )
