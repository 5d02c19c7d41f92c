"""GET filter forms for the dashboards. They only parse the query string; an unknown value is an
error shown in the GOV.UK error summary (and a 400), never a silent fallback to something else."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.periods import PERIOD_RE
from cycle.standing import Standing
from forces.models import BodyType, Region
from threats.models import Edition


def _period_error(value: str) -> None:
    if value and not PERIOD_RE.match(value):
        raise forms.ValidationError(_("Enter the reporting period as a financial year, like 2025/26"))


class NationalFilterForm(forms.Form):
    edition = forms.ModelChoiceField(
        queryset=Edition.objects.none(),
        to_field_name="code",
        required=False,
        label=_("SPR edition"),
        empty_label=None,
        error_messages={"invalid_choice": _("Select an SPR edition from the list")},
    )
    period = forms.CharField(required=False, label=_("Reporting period"), validators=[_period_error])
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        to_field_name="code",
        required=False,
        label=_("Region"),
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Select a region from the list")},
    )
    body_type = forms.ChoiceField(
        choices=[("", _("All types")), *BodyType.choices],
        required=False,
        label=_("Policing body type"),
        error_messages={"invalid_choice": _("Select a policing body type from the list")},
    )
    deadline = forms.ChoiceField(
        choices=[("", _("Any")), *Standing.choices],
        required=False,
        label=_("Against the deadlines"),
        error_messages={"invalid_choice": _("Select a deadline status from the list")},
    )
    sort = forms.CharField(required=False, max_length=200)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = Edition.objects.visible_to(user).order_by("-published_on")
        self.fields["region"].queryset = Region.objects.order_by("name")


class CapacityFilterForm(forms.Form):
    period = forms.CharField(required=False, label=_("Reporting period"), validators=[_period_error])
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
        error_messages={"invalid_choice": _("Select a region from the list")},
    )
