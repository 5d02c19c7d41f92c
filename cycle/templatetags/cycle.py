"""The deadlines panel other apps' pages show. An assessment's task list (assessments, a lower layer)
shows where it stands against its period's deadlines without importing this app: only the template
reaches up, as it does for the report buttons."""

from __future__ import annotations

from django import template

from cycle import selectors

register = template.Library()


@register.inclusion_tag("cycle/_assessment_deadlines.html")
def assessment_deadlines(assessment):
    """Each workflow step's deadline with a GOV.UK tag (done, on time, due soon, late); nothing when no
    deadlines are set for the assessment's period. One query."""
    return {"assessment": assessment, "standing": selectors.assessment_standing(assessment=assessment)}
