"""The report buttons other apps' pages show. Each asks `reports.permissions` before it appears, so a
page of a lower layer (an assessment's task list) offers its report without importing the reports app:
assessments sit below reports, and only the template reaches up."""

from __future__ import annotations

from django import template

from reports import permissions

register = template.Library()


@register.inclusion_tag("reports/_generate_button.html", takes_context=True)
def accountability_report_button(context, assessment):
    """The "Generate PDF" button of an assessment's page, shown only to a user who may request the
    assessment's PCC accountability report."""
    return {
        "assessment": assessment,
        "may_request": permissions.can_request_accountability(context["request"].user, assessment),
        "csrf_token": context.get("csrf_token"),
    }
