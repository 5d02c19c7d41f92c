"""The frozen snapshot's shape, its version, and the steps that bring an older snapshot up to date.

A snapshot's payload is `{"schema": SCHEMA_VERSION, **to_json(content)}`. A stored snapshot is never
rewritten (its SHA-256 is the hash of the stored payload); whoever reads one calls `content_of`, which
upgrades a copy step by step (1 -> 2 -> ...) and reads the records from it.

Changing what `AssessmentContent` writes is a change of shape: raise SCHEMA_VERSION and register the
step from the previous version here (`@step(n)` turns shape n into n + 1, without touching its
input). tests/assessments/test_records.py pins the current shape, so a field added without a step
fails there rather than on an old snapshot in production.

Shapes:
- 1 (until December 2026): people as bare usernames; the statements and sign-off as flat fields of
  `assessment`; each response carried its requirement's wording; no capacity.
- 2: people as objects `{"username", "name", "job_title"}` (name and job title as they were on the
  day: a snapshot keeps them whatever the account says later); `assessment.chief_statement`
  `{"text", "by", "at"}` and `assessment.sign_off`; the requirements' wording in `requirements`, once
  each; responses with their `id`, `assessment_id` and `status`; the force's capacity commitments
  for the period in `capacity`.
- 3: each `capacity` item adds `expected` (the force's expected contribution, null: none set) and
  `illustrative`; an item may have null figures (expected but not reported). Upgraded items get
  `expected: null` and `illustrative: true` (not known to be official).
- 4: each response adds its owner in the force, `owner_id` and `owner` (a person). Upgraded
  responses get null for both (owners were not recorded then).
"""

from __future__ import annotations

from collections.abc import Callable

from assessments.records.base import from_json, to_json
from assessments.records.shapes import AssessmentContent

SCHEMA_VERSION = 4

#: version n -> the function that turns a payload of shape n into one of shape n + 1.
STEPS: dict[int, Callable[[dict], dict]] = {}


def step(version: int):
    """Register the upgrade from shape `version` to `version + 1`."""

    def register(function):
        if version in STEPS:
            raise ValueError(f"A step from schema {version} is registered already")
        STEPS[version] = function
        return function

    return register


def upgrade(payload: dict) -> dict:
    """The payload in the current shape. The payload given is never changed: each step builds new
    objects (a payload already current is answered as it is)."""
    version = payload.get("schema", 1)
    if not isinstance(version, int) or not 1 <= version <= SCHEMA_VERSION:
        raise ValueError(f"Unknown snapshot schema {version!r} (this code reads 1 to {SCHEMA_VERSION})")
    while version < SCHEMA_VERSION:
        payload = {**STEPS[version](payload), "schema": version + 1}
        version += 1
    return payload


def payload_of(content: AssessmentContent) -> dict:
    """The snapshot payload of the content, in the current shape."""
    return {"schema": SCHEMA_VERSION, **to_json(content)}


def content_of(payload: dict) -> AssessmentContent:
    """The records of a stored payload of any known shape."""
    current = upgrade(payload)
    return from_json(AssessmentContent, {key: value for key, value in current.items() if key != "schema"})


# --- Steps -----------------------------------------------------------------------------------------


def _person(username: str | None) -> dict | None:
    # Schema 1 kept the username only: the name and job title of the day were not recorded.
    return None if username is None else {"username": username, "name": "", "job_title": ""}


@step(1)
def _people_as_objects(payload: dict) -> dict:
    """1 -> 2: people become objects, the statements and sign-off objects of their own, the
    requirements' wording moves out of the responses, and `capacity` appears (null: not recorded)."""
    old = payload["assessment"]
    assessment = {key: old[key] for key in ("id", "force", "policing_body", "edition", "period", "revision", "status")}
    assessment["chief_statement"] = {
        "text": old["chief_statement"],
        "by": _person(old["chief_statement_by"]),
        "at": old["chief_statement_at"],
    }
    assessment["sign_off"] = {
        "assurance_statement": old["assurance_statement"],
        "signed_off_by": _person(old["signed_off_by"]),
        "signed_off_at": old["signed_off_at"],
        "published_by": _person(old["published_by"]),
        "published_at": old["published_at"],
    }
    wording = ("ref", "paragraph", "section", "group_heading", "text", "areas", "threats")
    return {
        "assessment": assessment,
        "requirements": [{key: r[key] for key in wording} for r in payload["responses"]],
        "responses": [
            {
                "id": None,
                "assessment_id": old["id"],
                "ref": r["ref"],
                "paragraph": r["paragraph"],
                "judgement": r["judgement"],
                "narrative": r["narrative"],
                "evidence": r["evidence"],
                "version": r["version"],
                "status": None,
                "updated_at": r["updated_at"],
                "updated_by": _person(r["updated_by"]),
                "judgement_label": r["judgement_label"],
            }
            for r in payload["responses"]
        ],
        "evidence": payload["evidence"],
        "departures": payload["departures"],
        "actions": payload["actions"],
        "challenges": [
            {
                **c,
                "raised_by": _person(c["raised_by"]),
                "closed_by": _person(c["closed_by"]),
                "replies": [{**reply, "author": _person(reply["author"])} for reply in c["replies"]],
            }
            for c in payload["challenges"]
        ],
        "transitions": [{**t, "by": _person(t["by"])} for t in payload["transitions"]],
        "capacity": None,
    }


@step(2)
def _capacity_against_expected(payload: dict) -> dict:
    """2 -> 3: capacity items gain `expected` (not recorded then: null) and `illustrative` (true: a
    figure not known to be official is labelled illustrative); `capacity_coverage` appears (null:
    not recorded then)."""
    capacity = payload.get("capacity")
    return {
        **payload,
        "capacity": None
        if capacity is None
        else [{**item, "expected": None, "illustrative": True} for item in capacity],
        "capacity_coverage": None,
    }


@step(3)
def _responses_with_owners(payload: dict) -> dict:
    """3 -> 4: responses gain `owner_id` and `owner` (not recorded then: null)."""
    return {
        **payload,
        "responses": [{**response, "owner_id": None, "owner": None} for response in payload["responses"]],
    }
