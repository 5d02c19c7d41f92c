"""Snapshots as they were stored in older schemas, for the tests that read them after the change."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path

from assessments.models import Assessment, Snapshot
from assessments.snapshots import snapshot_sha256

FIXTURES = Path(__file__).parent / "assessments" / "fixtures"


@cache
def _stored(version: int) -> dict:
    return json.loads((FIXTURES / f"snapshot_schema_{version}.json").read_text())


def stored_payload(version: int) -> dict:
    """A payload exactly as the code of its time stored it (schema 1: written by snapshot_payload before
    assessments.records existed, for tests.reports.support.rich_assessment("published")). A copy: the
    caller may change it."""
    return copy.deepcopy(_stored(version))


def store_snapshot(assessment: Assessment, payload: dict) -> Snapshot:
    """Make `payload` the assessment's stored snapshot, with its hash, as if it had been published so."""
    Snapshot.objects.filter(assessment=assessment).update(payload=payload, sha256=snapshot_sha256(payload))
    return Snapshot.objects.get(assessment=assessment)
