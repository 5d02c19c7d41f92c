"""Forms of the report pages: they parse input with GDS error wording; reports.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.govuk import GovukModelChoiceField
from forces.models import Region
from reports.models import ReportKind
from threats.models import Edition


class ReportRequestForm(forms.Form):
    """The "Generate PDF" button of an assessment (kind + assessment) and the national overview form
    (kind + edition, period and optional region)."""

    kind = forms.ChoiceField(
        choices=ReportKind.choices,
        error_messages={"required": _("Choose a kind of report"), "invalid_choice": _("Choose a kind of report")},
    )
    assessment = forms.IntegerField(required=False, min_value=1, error_messages={"invalid": _("Choose an assessment")})
    edition = GovukModelChoiceField(
        queryset=Edition.objects.published().order_by("-published_on"),
        to_field_name="code",
        required=False,
        label=_("SPR edition"),
        empty_label=_("Select an edition"),
        error_messages={"invalid_choice": _("Select an SPR edition")},
    )
    period = forms.CharField(
        required=False, max_length=7, label=_("Reporting period"), help_text=_("A financial year, like 2025/26")
    )
    region = GovukModelChoiceField(
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        label=_("Region"),
        empty_label=_("Every region"),
        error_messages={"invalid_choice": _("Select a region")},
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == ReportKind.ACCOUNTABILITY and not data.get("assessment"):
            self.add_error("assessment", _("Choose an assessment"))
        if data.get("kind") == ReportKind.NATIONAL:
            if not data.get("edition") and "edition" not in self.errors:
                self.add_error("edition", _("Select an SPR edition"))
            if not data.get("period"):
                self.add_error("period", _("Enter the reporting period, like 2025/26"))
        return data
