"""The frozen form of a published assessment: `assessments.records.AssessmentContent` as JSON, with
its schema version, and the SHA-256 of it.

The payload is plain JSON; its SHA-256 is taken over the canonical encoding (sorted keys, no
whitespace), so anyone holding the payload can recompute the hash and prove nothing changed. A stored
snapshot is never rewritten: `snapshot_content` reads one of any schema through the upgrade steps of
`assessments.records.schema`, and its hash stays the hash of what is stored.
"""

from __future__ import annotations

import hashlib

from assessments import records
from assessments.models import Assessment, Snapshot
from core.audit import canonical

SCHEMA_VERSION = records.SCHEMA_VERSION


def snapshot_payload(assessment: Assessment) -> dict:
    """Everything a report or an inspector needs, in the current shape, read in a fixed number of
    queries (`records.assessment_content`)."""
    return records.payload_of(records.assessment_content(assessment))


def snapshot_sha256(payload: dict) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def snapshot_content(snapshot: Snapshot) -> records.AssessmentContent:
    """The records of a stored snapshot, whatever schema it was stored in."""
    return records.content_of(snapshot.payload)
