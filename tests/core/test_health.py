import json
import time

import pytest
from django.db import connection

from core.models import WorkerHeartbeat
from core.services import heartbeat_enqueue


def test_healthz_reports_database_and_broker_to_anyone(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok"
    assert body["database"]["status"] == "up"
    assert body["database"]["vendor"] == connection.vendor
    assert body["broker"]["status"] == "up"
    assert "worker" in body


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_heartbeat_task_round_trips_through_the_real_broker_and_worker(celery_worker_process, client):
    token = heartbeat_enqueue()

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not WorkerHeartbeat.objects.filter(token=token).exists():
        time.sleep(0.2)

    beat = WorkerHeartbeat.objects.get(token=token)
    assert beat.hostname
    assert beat.seen_at >= beat.enqueued_at
    assert json.loads(client.get("/healthz").content)["worker"]["status"] == "seen"
