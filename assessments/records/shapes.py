"""What an assessment is when it leaves the database, record by record.

`AssessmentContent` is the whole of it: the assessment (`AssessmentRecord`, with the chief constable's
statement and the PCC's sign-off), the requirements as they were worded, a response to each, the
evidence they cite, the departures, actions, challenges with their replies, the workflow's
transitions and the force's capacity commitments for the period. The frozen snapshot is its JSON;
the accountability report, the national overview and the API render it or its parts.

Fields that an older snapshot did not record are `X | None` and None there (see `schema`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields

from assessments.records.base import Person, api_key, field


@dataclass(frozen=True, slots=True)
class ForceRecord:
    code: str
    name: str
    region: str


@dataclass(frozen=True, slots=True)
class PolicingBodyRecord:
    name: str
    type: str


@dataclass(frozen=True, slots=True)
class EditionRecord:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement given on the assessment as a whole, by whom and when (the chief constable's)."""

    text: str
    by: Person | None
    at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class SignOff:
    """The PCC's annual assurance statement and sign-off, and the publication to HMIC."""

    assurance_statement: str
    signed_off_by: Person | None
    signed_off_at: dt.datetime | None
    published_by: Person | None
    published_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    id: int
    force: ForceRecord
    policing_body: PolicingBodyRecord | None
    edition: EditionRecord
    period: str
    revision: int
    status: str
    chief_statement: Statement
    sign_off: SignOff


@dataclass(frozen=True, slots=True)
class RequirementRecord:
    """A requirement as the edition worded it when the assessment answered it."""

    ref: str
    paragraph: str
    section: str
    group_heading: str
    text: str
    areas: tuple[str, ...]
    threats: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """The answer to one requirement. The API shows the fields in this order, under their `api` names.

    `status` is `Response.status` (not started, in progress, completed), worked out when the record
    was read; `id` and `status` are None in a snapshot of schema 1, which did not record them.
    """

    id: int | None
    assessment_id: int = field(api="assessment")
    ref: str = field(api="requirement", source="requirement__ref")
    paragraph: str = field(source="requirement__paragraph")
    judgement: str = field(source="judgement__code")
    narrative: str = field()
    evidence: tuple[int, ...] = field()
    version: int = field()
    status: str | None = field()
    updated_at: dt.datetime | None = field()
    updated_by: Person | None = field()
    #: The person of the force who owns the requirement (schema 4; None in older snapshots). The API
    #: shows their id as `owner` (what a PATCH takes) and "Name, job title" as `owner_name`.
    owner_id: int | None = field(api="owner")
    owner: Person | None = field(api="owner_name")
    judgement_label: str = field(api=False, source="judgement__label")


@dataclass(frozen=True, slots=True)
class EvidenceRecord:
    id: int
    kind: str
    title: str
    description: str
    owner: str
    evidence_date: dt.date
    review_by: dt.date | None
    protective_marking: str
    original_name: str
    content_type: str
    size: int | None
    sha256: str
    url: str
    reference: str


@dataclass(frozen=True, slots=True)
class DepartureRecord:
    requirement: str = field(source="requirement__ref")
    departing_party: str = field()
    circumstances: str = field()
    reasons: str = field()
    alternative_arrangements: str = field()
    residual_risk: str = field()
    review_date: dt.date = field()
    status: str = field()
    evidence: tuple[int, ...] = field()


@dataclass(frozen=True, slots=True)
class ActionRecord:
    requirement: str = field(source="requirement__ref")
    gap: str = field()
    description: str = field()
    owner: str = field()
    due_date: dt.date = field()
    status: str = field()


@dataclass(frozen=True, slots=True)
class ReplyRecord:
    author: Person | None
    text: str
    at: dt.datetime = field(source="created_at")


@dataclass(frozen=True, slots=True)
class ChallengeRecord:
    """A challenge on one requirement's response (`requirement`), or on the whole assessment (None)."""

    requirement: str | None
    text: str
    status: str
    raised_by: Person | None
    raised_at: dt.datetime = field(source="created_at")
    closed_by: Person | None = field()
    closed_at: dt.datetime | None = field()
    closing_note: str = field()
    replies: tuple[ReplyRecord, ...] = field()


@dataclass(frozen=True, slots=True)
class TransitionRecord:
    action: str
    from_status: str = field(json="from")
    to_status: str = field(json="to")
    by: Person | None = field()
    at: dt.datetime = field()
    note: str = field()


@dataclass(frozen=True, slots=True)
class CapacityRecord:
    """The force's figures for one capability in the assessment's period, as they stood when read:
    what it was expected to contribute (None: no expectation set) and what it committed (None, with
    the other figures: not reported). `illustrative` is true when the expectation or the capability's
    planning assumption is not an official figure (and for snapshots older than schema 3, which did
    not record it: a figure not known to be official is labelled illustrative)."""

    capability: str
    capability_name: str
    unit: str
    committed: int | None
    available: int | None
    notice_period_hours: int | None
    as_of: dt.date | None
    expected: int | None = None
    illustrative: bool = True

    @property
    def reported(self) -> bool:
        return self.committed is not None

    @property
    def shortfall(self) -> int | None:
        if self.committed is None or self.expected is None:
            return None
        return max(0, self.expected - self.committed)


@dataclass(frozen=True, slots=True)
class CapacityCoverageRecord:
    """How many of the forces the service had reported any capacity figure for the period, when the
    content was read ("3 of 46"): no capability is judged to meet its assumption before all have."""

    reporting_forces: int
    total_forces: int

    @property
    def text(self) -> str:
        return f"{self.reporting_forces} of {self.total_forces}"

    @property
    def complete(self) -> bool:
        return self.total_forces > 0 and self.reporting_forces >= self.total_forces


@dataclass(frozen=True, slots=True)
class AssessmentContent:
    """An assessment and everything in it, as a report, an inspector or the snapshot sees it.

    `capacity` is None in a snapshot of schema 1, which did not record it (an empty tuple means the
    force had reported no figures for the period).
    """

    assessment: AssessmentRecord
    requirements: tuple[RequirementRecord, ...]
    responses: tuple[ResponseRecord, ...]
    evidence: tuple[EvidenceRecord, ...]
    departures: tuple[DepartureRecord, ...]
    actions: tuple[ActionRecord, ...]
    challenges: tuple[ChallengeRecord, ...]
    transitions: tuple[TransitionRecord, ...]
    capacity: tuple[CapacityRecord, ...] | None
    capacity_coverage: CapacityCoverageRecord | None = None

    def requirements_by_ref(self) -> dict[str, RequirementRecord]:
        return {requirement.ref: requirement for requirement in self.requirements}

    def evidence_by_id(self) -> dict[int, EvidenceRecord]:
        return {item.id: item for item in self.evidence}


# --- What a person answers -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResponseAnswer:
    """What a person gives as the answer to one requirement: a judgement level's code, the narrative
    and the ids of the evidence linked. A field left None is unchanged.

    The page's form and the API's input build one; `services.response_update` applies it. Every field
    other than `judgement` and `evidence_ids` is a column of Response written as it is (see
    `ANSWER_TEXT_FIELDS`): such a field added here is taken by the form, the API and the service,
    and carried into next year's draft by "start from last year".
    """

    judgement: str | None = None
    narrative: str | None = None
    evidence_ids: tuple[int, ...] | None = field(api="evidence", default=None)

    def __post_init__(self):
        if self.evidence_ids is not None and not isinstance(self.evidence_ids, tuple):
            object.__setattr__(self, "evidence_ids", tuple(self.evidence_ids))  # a list given: kept as a tuple

    @classmethod
    def from_data(cls, data: Mapping) -> ResponseAnswer:
        """An answer from input that names its fields as the API and the page's form do (`evidence`
        for the ids, as numbers or text); a key left out is None, unchanged."""
        values = {}
        for f in fields(cls):
            value = data.get(api_key(f))
            if value is not None and f.name == "evidence_ids":
                value = tuple(int(item) for item in value)
            values[f.name] = value
        return cls(**values)

    @classmethod
    def names(cls) -> list[str]:
        """The answer's fields as the API and the form name them."""
        return [api_key(f) for f in fields(cls)]


#: The answer's fields that are Response columns written as they are.
ANSWER_TEXT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ResponseAnswer) if f.name not in ("judgement", "evidence_ids")
)
