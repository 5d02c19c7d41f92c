"""Two people saving one response at the same moment: exactly one wins, the other is told (412).

This needs real concurrency, so it commits (transaction=True) and runs two threads, each with its own
database connection. `response_update` locks the row (SELECT ... FOR UPDATE on PostgreSQL; on SQLite
every transaction begins IMMEDIATE, which takes the write lock), so the second save waits for the
first and then sees the new version. To make the race certain rather than lucky, both threads wait at
a barrier after reading version 1 and before saving, and the first to take the lock holds it briefly.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Response
from tests.api.assessments_api_support import make_assessment
from tests.concurrency import run_at_once
from tests.conftest import HOME_FORCE


@pytest.mark.django_db(transaction=True)
def test_response_simultaneous_edits_leave_one_winner_and_one_refusal(staff_user, forces, spr2012, monkeypatch):
    assessment = make_assessment(staff_user, forces[HOME_FORCE], spr2012)
    response = assessment.responses.get(requirement__ref="3.1(a)")
    url = f"/api/v1/responses/{response.pk}/"

    arrived = threading.Barrier(2, timeout=30)
    original_update = services.response_update
    original_require = services._require_editable

    def update_after_both_arrive(**kwargs):
        arrived.wait()  # both requests have read version 1 and passed every check before the lock
        return original_update(**kwargs)

    def hold_the_lock(user, assessment):
        original_require(user, assessment)  # runs with the row locked
        time.sleep(0.3)

    monkeypatch.setattr(services, "response_update", update_after_both_arrive)
    monkeypatch.setattr(services, "_require_editable", hold_the_lock)

    def edit(name: str):
        client = APIClient()
        client.force_authenticate(get_user_model().objects.get(pk=staff_user.pk))
        return client.patch(url, {"narrative": f"Saved by {name}"}, format="json", HTTP_IF_MATCH='"1"')

    results = run_at_once(edit, ("alice", "bob"))

    assert not any(isinstance(value, Exception) for value in results.values()), results
    statuses = sorted(answer.status_code for answer in results.values())
    assert statuses == [200, 412], {name: (a.status_code, a.content) for name, a in results.items()}
    winner = next(name for name, answer in results.items() if answer.status_code == 200)
    loser = next(answer for answer in results.values() if answer.status_code == 412)
    stored = Response.objects.get(pk=response.pk)
    assert stored.version == 2
    assert stored.narrative == f"Saved by {winner}"
    assert loser.json()["current"]["narrative"] == f"Saved by {winner}"
    assert loser.json()["current"]["version"] == 2
    assert loser["ETag"] == '"2"'
