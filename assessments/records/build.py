"""Records from the database: the whole assessment in a fixed number of queries, and the builders
the fast paths use one row or one object at a time.

A record's plain fields are read from their `source` path (`requirement__ref` from the row's
`requirement__ref` or the object's `requirement.ref`), its people through `person_of` (or `People`
for rows); only fields that are worked out (a response's status, its evidence ids) are named here.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter

from django.db.models import Prefetch

from assessments.models import Assessment, ChallengeReply, Evidence, Response
from assessments.records.base import PERSON_COLUMNS, People, people_fields, person_of, source_of
from assessments.records.shapes import (
    ANSWER_TEXT_FIELDS,
    ActionRecord,
    AssessmentContent,
    AssessmentRecord,
    CapacityCoverageRecord,
    CapacityRecord,
    ChallengeRecord,
    DepartureRecord,
    EditionRecord,
    EvidenceRecord,
    ForceRecord,
    PolicingBodyRecord,
    ReplyRecord,
    RequirementRecord,
    ResponseAnswer,
    ResponseRecord,
    SignOff,
    Statement,
    TransitionRecord,
)

# The force's capacity figures, read by `capacity_of` only: the one line to change if they move.
from capacity.selectors import capacity_coverage, force_capacity

# --- Generic: a record's plain fields from an object ---------------------------------------------


@functools.cache
def _object_plan(cls) -> tuple[tuple[str, attrgetter, bool], ...]:
    """(name, getter, is a person) for each field, read from its source path on an object."""
    people = people_fields(cls)
    return tuple(
        (f.name, attrgetter(source_of(f).replace("__", ".")), f.name in people) for f in dataclasses.fields(cls)
    )


def record_of(cls, instance, **given):
    """A record of `cls` from a model instance: `given` values as they are, every other field from its
    source path (a person through `person_of`)."""
    values = dict(given)
    for name, getter, person in _object_plan(cls):
        if name not in given:
            value = getter(instance)
            values[name] = person_of(value) if person else value
    return cls(**values)


# --- Responses -------------------------------------------------------------------------------------

#: ResponseRecord's fields that the builders work out rather than read from a column.
_RESPONSE_WORKED_OUT = ("evidence", "status")
#: ResponseRecord's other fields and the column each is read from (for a person, the path to the user,
#: whose PERSON_COLUMNS are read).
RESPONSE_COLUMNS: dict[str, str] = {
    f.name: source_of(f) for f in dataclasses.fields(ResponseRecord) if f.name not in _RESPONSE_WORKED_OUT
}
_RESPONSE_PEOPLE = tuple(name for name in RESPONSE_COLUMNS if name in people_fields(ResponseRecord))

#: What a response is read as, as values (`Response.objects.values(*RESPONSE_ROW_FIELDS)`): every
#: column of ResponseRecord, each person's PERSON_COLUMNS and the judgement's score (for the status).
#: Rows rather than objects save building four model instances a row (response, requirement,
#: judgement, editor) when an assessment's responses are read whole.
RESPONSE_ROW_FIELDS: tuple[str, ...] = (
    *(column for name, column in RESPONSE_COLUMNS.items() if name not in _RESPONSE_PEOPLE),
    *(f"{RESPONSE_COLUMNS[name]}__{column}" for name in _RESPONSE_PEOPLE for column in PERSON_COLUMNS),
    "judgement__score",
)


def response_row_readers(evidence: Mapping[int, Sequence[int]]) -> dict[str, Callable[[dict], object]]:
    """How ResponseRecord's worked-out fields are read from a row of RESPONSE_ROW_FIELDS, given the
    rows' evidence ids (response id -> ids in id order), as the API writes them (a list of ids, the
    status's value): for `response_from_row`, and for the API's list, which renders rows without
    building a record for each (`RowRendering`)."""
    status_of = Response.status_of
    return {
        "evidence": lambda row: evidence[row["id"]],
        "status": lambda row: status_of(row["judgement__score"], row["narrative"], row["version"]).value,
    }


def response_from_row(row: dict, evidence: Mapping[int, Sequence[int]], people: People) -> ResponseRecord:
    """The record of a row of RESPONSE_ROW_FIELDS (its evidence ids looked up in `evidence`)."""
    values = {}
    for name, column in RESPONSE_COLUMNS.items():
        if name in _RESPONSE_PEOPLE:
            values[name] = people.get(*(row[f"{column}__{part}"] for part in PERSON_COLUMNS))
        else:
            values[name] = row[column]
    for name, read in response_row_readers(evidence).items():
        values[name] = read(row)
    values["evidence"] = tuple(values["evidence"])
    return ResponseRecord(**values)


def response_record(response: Response) -> ResponseRecord:
    """The record of a response read with its requirement, judgement and editor, and its evidence
    prefetched in id order (as `selectors.response_list` reads it)."""
    return record_of(
        ResponseRecord,
        response,
        evidence=tuple(item.pk for item in response.evidence.all()),
        status=response.status.value,
        updated_by=person_of(response.updated_by) if response.updated_by_id else None,
        owner=person_of(response.owner) if response.owner_id else None,
    )


def answer_of(response: Response) -> ResponseAnswer:
    """The response's answer as it stands (its evidence prefetched or read here)."""
    return ResponseAnswer(
        judgement=response.judgement.code,
        evidence_ids=tuple(item.pk for item in response.evidence.all()),
        **{name: getattr(response, name) for name in ANSWER_TEXT_FIELDS},
    )


# --- The whole assessment --------------------------------------------------------------------------


def capacity_of(*, force_id: int, period: str) -> tuple[CapacityRecord, ...]:
    """The force's capacity for the period, by capability: every capability it reported or was
    expected to contribute to (three queries)."""
    lines = force_capacity(force_id=force_id, period=period)
    return tuple(
        CapacityRecord(
            capability=line.capability.code,
            capability_name=line.capability.name,
            unit=line.capability.unit,
            committed=line.commitment.committed if line.commitment else None,
            available=line.commitment.available if line.commitment else None,
            notice_period_hours=line.commitment.notice_period_hours if line.commitment else None,
            as_of=line.commitment.as_of if line.commitment else None,
            expected=line.expected,
            illustrative=line.illustrative,
        )
        for line in lines
        if line.commitment is not None or line.expected is not None
    )


def assessment_record(assessment: Assessment) -> AssessmentRecord:
    """The assessment itself, read with its force, region, edition, people and policing bodies."""
    body = assessment.force.current_policing_body
    return AssessmentRecord(
        id=assessment.id,
        force=ForceRecord(code=assessment.force.code, name=assessment.force.name, region=assessment.force.region.name),
        policing_body=PolicingBodyRecord(name=body.name, type=body.body_type) if body else None,
        edition=EditionRecord(code=assessment.edition.code, title=assessment.edition.title),
        period=assessment.period,
        revision=assessment.revision,
        status=assessment.status,
        chief_statement=Statement(
            text=assessment.chief_statement,
            by=person_of(assessment.chief_statement_by),
            at=assessment.chief_statement_at,
        ),
        sign_off=SignOff(
            assurance_statement=assessment.assurance_statement,
            signed_off_by=person_of(assessment.signed_off_by),
            signed_off_at=assessment.signed_off_at,
            published_by=person_of(assessment.published_by),
            published_at=assessment.published_at,
        ),
    )


def assessment_content(assessment: Assessment) -> AssessmentContent:
    """Everything a report, an inspector or the snapshot needs, read in 13 queries however many
    requirements, responses, evidence items and records there are."""
    assessment = (
        Assessment.objects.select_related(
            "force",
            "force__region",
            "edition",
            "chief_statement_by__profile",
            "signed_off_by__profile",
            "published_by__profile",
        )
        .prefetch_related("force__policing_bodies")
        .get(pk=assessment.pk)
    )
    by_id = Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    responses = list(
        assessment.responses.select_related("requirement", "judgement", "updated_by__profile", "owner__profile")
        .prefetch_related("requirement__areas", "requirement__threats", by_id)
        .order_by("requirement__position")
    )
    departures = list(assessment.departures.select_related("requirement").prefetch_related(by_id).order_by("id"))
    evidence: dict[int, Evidence] = {}
    for holder in (*responses, *departures):
        for item in holder.evidence.all():
            evidence[item.id] = item
    challenges = (
        assessment.challenges.select_related("response__requirement", "raised_by__profile", "closed_by__profile")
        .prefetch_related(
            Prefetch("replies", queryset=ChallengeReply.objects.select_related("author__profile").order_by("id"))
        )
        .order_by("id")
    )
    return AssessmentContent(
        assessment=assessment_record(assessment),
        requirements=tuple(
            record_of(
                RequirementRecord,
                r.requirement,
                areas=tuple(area.code for area in r.requirement.areas.all()),
                threats=tuple(threat.code for threat in r.requirement.threats.all()),
            )
            for r in responses
        ),
        responses=tuple(response_record(r) for r in responses),
        evidence=tuple(record_of(EvidenceRecord, item) for item in sorted(evidence.values(), key=lambda e: e.id)),
        departures=tuple(
            record_of(DepartureRecord, d, evidence=tuple(item.id for item in d.evidence.all())) for d in departures
        ),
        actions=tuple(
            record_of(ActionRecord, a)
            for a in assessment.actions.select_related("requirement").order_by("due_date", "id")
        ),
        challenges=tuple(
            record_of(
                ChallengeRecord,
                c,
                requirement=c.response.requirement.ref if c.response_id else None,
                replies=tuple(record_of(ReplyRecord, reply) for reply in c.replies.all()),
            )
            for c in challenges
        ),
        transitions=tuple(
            record_of(TransitionRecord, t, by=person_of(t.actor))
            for t in assessment.transitions.select_related("actor__profile").order_by("at", "id")
        ),
        capacity=capacity_of(force_id=assessment.force_id, period=assessment.period),
        capacity_coverage=CapacityCoverageRecord(**capacity_coverage(period=assessment.period)),
    )
