"""Views with no SPR rules in them: the health check."""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.health import broker_state, database_state, worker_state


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
