import json
import time

import pytest
from django.db import connection

from core.models import WorkerHeartbeat
from core.services import heartbeat_enqueue


def test_healthz_tells_anonymous_callers_the_status_alone(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    # Nothing an attacker could use: no database vendor, broker transport or worker host name.
    for word in (connection.vendor, "transport", "hostname", "kombu", "redis", "filesystem"):
        assert word not in response.content.decode()


def _assert_details(body):
    assert body["status"] == "ok"
    assert body["database"]["status"] == "up"
    assert body["database"]["vendor"] == connection.vendor
    assert body["broker"]["status"] == "up"
    assert "worker" in body
    assert body["antivirus"] == {"status": "not configured"}


def test_healthz_details_for_a_signed_in_national_administrator(national_admin_client, staff_client):
    _assert_details(json.loads(national_admin_client.get("/healthz").content))
    assert json.loads(staff_client.get("/healthz").content) == {"status": "ok"}


def test_healthz_details_for_a_monitor_with_the_health_token(client, db, settings):
    settings.SPR_HEALTH_TOKEN = "monitoring-token-0123456789"

    _assert_details(json.loads(client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitoring-token-0123456789").content))
    for wrong in ("Bearer monitoring-token-012345678", "Bearer ", "monitoring-token-0123456789", "Token x"):
        assert json.loads(client.get("/healthz", HTTP_AUTHORIZATION=wrong).content) == {"status": "ok"}, wrong


def test_healthz_without_a_configured_token_gives_no_monitor_details(client, db, settings):
    settings.SPR_HEALTH_TOKEN = ""

    assert json.loads(client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").content) == {"status": "ok"}


def test_healthz_answers_503_with_the_status_alone_when_the_database_is_down(client, db, monkeypatch):
    from core import views

    monkeypatch.setattr(views, "database_state", lambda: {"status": "down", "error": "OperationalError"})

    response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_heartbeat_task_round_trips_through_the_real_broker_and_worker(celery_worker_process, client, settings):
    settings.SPR_HEALTH_TOKEN = "monitoring-token-0123456789"
    token = heartbeat_enqueue()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(token=token).exists():
        time.sleep(0.2)

    beat = WorkerHeartbeat.objects.get(token=token)
    assert beat.hostname
    assert beat.seen_at >= beat.enqueued_at
    health = client.get("/healthz", HTTP_AUTHORIZATION="Bearer monitoring-token-0123456789")
    assert json.loads(health.content)["worker"]["status"] == "seen"
