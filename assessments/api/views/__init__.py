"""The assessment API: the twin of the assessment pages over the same selectors and services.

Every queryset starts from `Model.objects.visible_to(user)` (through `assessments.selectors`), so
another force's object is a 404 and never appears in a list. Each write method parses its input with
an input serializer and calls one service; the service checks permission (403), validates (400) and
writes in one transaction, so a refused request changes nothing.

Optimistic locking of responses: a response's ETag is its version as a strong entity tag, `"<version>"`
(e.g. `"3"`). GET /responses/{id}/ sends it; PATCH must send it back in If-Match. No If-Match is a 428;
an If-Match naming no current version (an older one, or a weak tag) is a 412 whose body carries the
stored response, so the client can merge and retry.

`common` holds what every view shares (the documented answers, the permission, parsing input and the
201 answer), `assessments` the assessments and their workflow actions, `responses` the responses and
their If-Match handling, `evidence` the evidence library, `records` departures and actions, and
`challenges` the PCC's challenges; callers import from this package.
"""

from assessments.api.views.assessments import AssessmentViewSet
from assessments.api.views.challenges import ChallengeViewSet
from assessments.api.views.evidence import EvidenceViewSet
from assessments.api.views.records import ActionViewSet, DepartureViewSet
from assessments.api.views.responses import ResponseViewSet

__all__ = [
    "ActionViewSet",
    "AssessmentViewSet",
    "ChallengeViewSet",
    "DepartureViewSet",
    "EvidenceViewSet",
    "ResponseViewSet",
]
