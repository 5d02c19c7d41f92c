"""What the assessment API shows (output serializers) and what it accepts (input serializers).

Output serializers are read-only views of the models. Input serializers only check shapes and types
and turn codes into objects; every rule about what may change lives in `assessments.services`, which
the views call with the validated data. An input naming a field it may not write (read-only, like
`version`, or unknown) is refused with a 400 naming the field, and nothing is applied.

`common` holds what they share (the code and username fields and the strict input building blocks),
`assessments`, `responses`, `evidence`, `records` (departures and actions) and `challenges` one
resource each, `workbook` the workbook import's input and answer, and `workflow` the workflow's
inputs, transitions, audit trail and snapshot; callers import from this package.
"""

from assessments.api.serializers.assessments import AssessmentCreateSerializer, AssessmentSerializer
from assessments.api.serializers.challenges import (
    ChallengeCloseSerializer,
    ChallengeCreateSerializer,
    ChallengeReplyInputSerializer,
    ChallengeReplySerializer,
    ChallengeSerializer,
)
from assessments.api.serializers.evidence import EvidenceCreateSerializer, EvidenceSerializer, EvidenceUpdateSerializer
from assessments.api.serializers.records import (
    ActionInputSerializer,
    ActionSerializer,
    DepartureInputSerializer,
    DepartureSerializer,
)
from assessments.api.serializers.responses import (
    PreconditionFailedSerializer,
    ResponseSerializer,
    ResponseUpdateSerializer,
)
from assessments.api.serializers.workbook import WorkbookImportSerializer, WorkbookUploadSerializer
from assessments.api.serializers.workflow import (
    AuditEntrySerializer,
    HistoryPageSerializer,
    ReturnInputSerializer,
    SnapshotSerializer,
    StatementInputSerializer,
    SubmitInputSerializer,
    TransitionInputSerializer,
    TransitionSerializer,
)

__all__ = [
    "ActionInputSerializer",
    "ActionSerializer",
    "AssessmentCreateSerializer",
    "AssessmentSerializer",
    "AuditEntrySerializer",
    "ChallengeCloseSerializer",
    "ChallengeCreateSerializer",
    "ChallengeReplyInputSerializer",
    "ChallengeReplySerializer",
    "ChallengeSerializer",
    "DepartureInputSerializer",
    "DepartureSerializer",
    "EvidenceCreateSerializer",
    "EvidenceSerializer",
    "EvidenceUpdateSerializer",
    "HistoryPageSerializer",
    "PreconditionFailedSerializer",
    "ResponseSerializer",
    "ResponseUpdateSerializer",
    "ReturnInputSerializer",
    "SnapshotSerializer",
    "StatementInputSerializer",
    "SubmitInputSerializer",
    "TransitionInputSerializer",
    "TransitionSerializer",
    "WorkbookImportSerializer",
    "WorkbookUploadSerializer",
]
