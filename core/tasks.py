"""Background work that belongs to no SPR domain."""

import datetime as dt
import socket

from celery import shared_task

from core.models import WorkerHeartbeat


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat(token: str, enqueued_at: str) -> None:
    """Record that a worker ran; /healthz and the tests read the row back."""
    WorkerHeartbeat.objects.get_or_create(
        token=token,
        defaults={"hostname": socket.gethostname(), "enqueued_at": dt.datetime.fromisoformat(enqueued_at)},
    )
