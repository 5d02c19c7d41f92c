"""Checks behind /healthz: is the database answering, can the broker be reached."""

import time

from django.db import connection


def database_state() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 — any failure is "down", with its reason
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "up", "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def broker_state(timeout: float = 2.0) -> dict:
    from celery import current_app as app  # the project's app (spr/__init__.py loads it first)

    started = time.monotonic()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001
        return {"status": "down", "error": exc.__class__.__name__}
    return {
        "status": "up",
        "transport": str(transport),
        "ms": round((time.monotonic() - started) * 1000, 1),
    }


def worker_state() -> dict:
    """When a worker last recorded a heartbeat (None if never)."""
    from core.models import WorkerHeartbeat

    try:
        latest = WorkerHeartbeat.objects.order_by("-seen_at").values("seen_at", "hostname").first()
    except Exception as exc:  # noqa: BLE001
        return {"status": "unknown", "error": exc.__class__.__name__}
    if latest is None:
        return {"status": "unknown", "last_heartbeat": None}
    return {"status": "seen", "last_heartbeat": latest["seen_at"].isoformat(), "hostname": latest["hostname"]}


def antivirus_state() -> dict:
    """Whether the virus scanner (clamd) answers, or that none is configured."""
    from core import antivirus

    if not antivirus.scanner_configured():
        return {"status": "not configured"}
    started = time.monotonic()
    up = antivirus.ping()
    return {"status": "up" if up else "down", "ms": round((time.monotonic() - started) * 1000, 1)}
