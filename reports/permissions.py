"""Who may ask for which report. Reading a job follows `ReportJob.objects.visible_to(user)`; these
predicates decide requesting (`reports.services.report_request` asks them), and the pages ask them
before showing a way to request: an assessment's page through the `accountability_report_button` tag
(reports/templatetags/reports.py), the reports list and form through their views' context. The
national view's "Generate PDF" needs no asking: only those who may request the overview see the page."""

from __future__ import annotations

from assessments.models import Assessment
from core.roles import Role, has_role
from forces.scoping import seen_by


def can_request_national(user) -> bool:
    """The national overview compares every force: HMIC inspectors and national administrators only."""
    return has_role(user, Role.INSPECTOR, Role.NATIONAL_ADMIN)


def can_request_accountability(user, assessment: Assessment) -> bool:
    """Anyone who can see the assessment may have it as a PDF: the report shows nothing more. An
    assessment a page has just read through `visible_to(user)` needs no second query to say so."""
    if seen_by(assessment, user):
        return True
    return Assessment.objects.visible_to(user).filter(pk=assessment.pk).exists()
