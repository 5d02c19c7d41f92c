"""Background work that belongs to no SPR domain."""

import datetime as dt
import secrets
import socket

from celery import shared_task
from django.utils import timezone

from core import checkpoints
from core.models import WorkerHeartbeat

HEARTBEATS_KEPT = dt.timedelta(days=1)


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat(token: str | None = None, enqueued_at: str | None = None) -> None:
    """Record that a worker ran; /healthz and the tests read the row back. Beat sends one a minute
    (without arguments), so /healthz can say when a worker was last seen."""
    now = timezone.now()
    WorkerHeartbeat.objects.get_or_create(
        token=token or secrets.token_hex(16),
        defaults={
            "hostname": socket.gethostname(),
            "enqueued_at": dt.datetime.fromisoformat(enqueued_at) if enqueued_at else now,
        },
    )
    WorkerHeartbeat.objects.filter(seen_at__lt=now - HEARTBEATS_KEPT).delete()


@shared_task(name="core.audit_checkpoint", ignore_result=True)
def audit_checkpoint() -> dict:
    """Append a checkpoint of the audit chain (beat sends one every SPR_AUDIT_CHECKPOINT_SECONDS)."""
    checkpoint = checkpoints.audit_checkpoint()
    return {"count": checkpoint.count, "head_hash": checkpoint.head_hash}
