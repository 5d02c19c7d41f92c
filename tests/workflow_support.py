"""Builders that move an assessment through the workflow with the right person at each step."""

from __future__ import annotations

from django.db.models import F

from assessments import services, workflow
from assessments.models import Assessment, AssessmentStatus
from assessments.records import ResponseAnswer
from tests.factories import make_assessment
from threats.models import JudgementLevel

ORDER = [
    AssessmentStatus.DRAFT,
    AssessmentStatus.SUBMITTED,
    AssessmentStatus.RESPONDED,
    AssessmentStatus.SIGNED_OFF,
    AssessmentStatus.PUBLISHED,
]


def answer_all(assessment: Assessment, user, *, through_services: bool = False) -> None:
    """Judge and explain every requirement. By default in one UPDATE (set-up for workflow tests, which
    are about transitions); `through_services` saves each response as a user would."""
    if not through_services:
        assured = JudgementLevel.objects.get(edition_id=assessment.edition_id, code="assured")
        assessment.responses.update(
            judgement=assured, narrative="Tested in the March exercise; see the debrief.", version=F("version") + 1
        )
        return
    for response in assessment.responses.all():
        services.response_update(
            user=user,
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(
                judgement="assured", narrative=f"Tested in the March exercise ({response.requirement_id})."
            ),
        )


def advance(assessment: Assessment, target: str, *, staff, chief, pcc) -> Assessment:
    """Answer every requirement of a draft, then move it on to `target` the way the force would."""
    steps = {
        AssessmentStatus.SUBMITTED: lambda a: workflow.assessment_submit(user=staff, assessment=a),
        AssessmentStatus.RESPONDED: lambda a: workflow.assessment_respond(
            user=chief, assessment=a, statement="The force meets the SPR, with the gaps noted."
        ),
        AssessmentStatus.SIGNED_OFF: lambda a: workflow.assessment_sign_off(
            user=pcc, assessment=a, statement="I am assured, subject to the actions recorded."
        ),
        AssessmentStatus.PUBLISHED: lambda a: workflow.assessment_publish(user=pcc, assessment=a),
    }
    if assessment.status == AssessmentStatus.DRAFT:
        answer_all(assessment, staff)
    for state in ORDER[ORDER.index(assessment.status) + 1 : ORDER.index(target) + 1]:
        assessment = steps[state](assessment)
    return assessment


def assessment_in(state: str, *, force, edition, staff, chief, pcc, period: str = "2025/26") -> Assessment:
    return advance(
        make_assessment(user=staff, force=force, edition=edition, period=period),
        state,
        staff=staff,
        chief=chief,
        pcc=pcc,
    )
