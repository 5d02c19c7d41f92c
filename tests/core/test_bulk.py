"""core.bulk.insert_rows writes exactly the values it is given, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.bulk import insert_rows
from core.models import AuditEntry

pytestmark = pytest.mark.django_db

AWKWARD = [
    "",
    "plain",
    'a "quoted" word',
    'back\\slash and \\" both',
    "{braces},commas, and NULL",
    "NULL",
    "  spaces kept  ",
    "line\nbreak\ttab",
    "O'Brien — Dyfed-Powys ✓ 𝄞",
]


def test_insert_rows_round_trips_awkward_values_and_answers_ids_in_order():
    at = timezone.now()
    count = len(AWKWARD)
    changes = [{"narrative": [None, text], "n": [1, 2.5], "ok": True, "none": None} for text in AWKWARD]
    ids = insert_rows(
        AuditEntry,
        {
            "at": [at + dt.timedelta(seconds=n) for n in range(count)],
            "actor_id": [None if n % 2 else n for n in range(count)],
            "actor_name": AWKWARD,
            "action": ["created"] * count,
            "model": ["tests.awkward"] * count,
            "object_id": [str(n) for n in range(count)],
            "object_repr": list(reversed(AWKWARD)),
            "force_id": [None] * count,
            "changes": changes,
            "prev_hash": ["0" * 64] * count,
            "hash": [f"{n:064x}" for n in range(count)],
        },
        returning_ids=True,
    )

    stored = {entry.id: entry for entry in AuditEntry.objects.filter(model="tests.awkward")}
    assert list(stored) == sorted(ids) and len(ids) == count
    for n, pk in enumerate(ids):
        entry = stored[pk]
        assert entry.object_id == str(n)
        assert entry.actor_name == AWKWARD[n]
        assert entry.object_repr == AWKWARD[count - 1 - n]
        assert entry.actor_id == (None if n % 2 else n)
        assert entry.at == at + dt.timedelta(seconds=n)
        assert entry.changes == changes[n]
        assert entry.force_id is None


def test_insert_rows_without_rows_writes_nothing():
    assert insert_rows(AuditEntry, {"object_id": []}, returning_ids=True) == []
    assert not AuditEntry.objects.exists()
