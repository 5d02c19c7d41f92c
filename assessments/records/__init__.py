"""What an assessment is when it leaves the database: typed records, declared once.

The API's output, the frozen snapshot, the accountability report, the national overview and the
history pages render these records; the services take a typed answer (`ResponseAnswer`). Adding a
field to a response means adding it to the model (and its migration), to `ResponseRecord` (and,
for what a person writes, `ResponseAnswer`), to the form and to the templates that show it, plus a
step in `schema` for the snapshot's new shape.

`base` holds how a record is declared and written as JSON, and the people records name; `shapes`
the records; `build` reads them from the database; `schema` the snapshot's version and the upgrade
of older snapshots; `labels` the words a page names a field with. Callers import from this package
(`labels` from its module: it is for pages only).
"""

from assessments.records.base import People, Person, api_fields, from_json, person_of, shape_of, to_json
from assessments.records.build import (
    RESPONSE_COLUMNS,
    RESPONSE_ROW_FIELDS,
    answer_of,
    assessment_content,
    assessment_record,
    capacity_of,
    record_of,
    response_from_row,
    response_record,
    response_row_readers,
)
from assessments.records.schema import SCHEMA_VERSION, STEPS, content_of, payload_of, upgrade
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

__all__ = [
    "ANSWER_TEXT_FIELDS",
    "RESPONSE_COLUMNS",
    "RESPONSE_ROW_FIELDS",
    "SCHEMA_VERSION",
    "STEPS",
    "ActionRecord",
    "AssessmentContent",
    "AssessmentRecord",
    "CapacityCoverageRecord",
    "CapacityRecord",
    "ChallengeRecord",
    "DepartureRecord",
    "EditionRecord",
    "EvidenceRecord",
    "ForceRecord",
    "People",
    "Person",
    "PolicingBodyRecord",
    "ReplyRecord",
    "RequirementRecord",
    "ResponseAnswer",
    "ResponseRecord",
    "SignOff",
    "Statement",
    "TransitionRecord",
    "answer_of",
    "api_fields",
    "assessment_content",
    "assessment_record",
    "capacity_of",
    "content_of",
    "from_json",
    "payload_of",
    "person_of",
    "record_of",
    "response_from_row",
    "response_record",
    "response_row_readers",
    "shape_of",
    "to_json",
    "upgrade",
]
