"""The national administrator's deadlines form: four GOV.UK date inputs. It only parses input (GDS
error wording); the order of the dates and the permission are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.govuk import GovukDateField


def _date(label, required_message):
    return GovukDateField(
        label=label, help_text=_("For example, 31 1 2027"), error_messages={"required": required_message}
    )


class PeriodDeadlinesForm(forms.Form):
    submit_by = _date(
        _("Submitted to the chief constable by"), _("Enter the date by which the self-assessment should be submitted")
    )
    respond_by = _date(
        _("The chief constable's response by"), _("Enter the date by which the chief constable should respond")
    )
    sign_off_by = _date(_("Signed off by the PCC by"), _("Enter the date by which the PCC should sign off"))
    publish_by = _date(_("Published to HMIC by"), _("Enter the date by which the self-assessment should be published"))
