"""GOV.UK forms for capacity planning. They only parse input (GDS error wording); the writes and the
rules live in capabilities.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from capabilities.models import CapacityCapability
from core.forms.govuk import GovukDateField, GovukModelChoiceField
from core.periods import validate_period
from forces.models import Force


def _whole_number(label: str, noun: str, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 0 or more",
        },
        **kwargs,
    )


class CapabilityForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Lower case letters, numbers and hyphens, e.g. public-order-psu. It cannot be changed later."),
        error_messages={"required": _("Enter a code"), "invalid": _("Code must use only letters, numbers and hyphens")},
    )
    name = forms.CharField(
        label=_("Name"), max_length=150, error_messages={"required": _("Enter the capability's name")}
    )
    unit = forms.CharField(
        label=_("Counted in"),
        max_length=80,
        help_text=_("For example, police support units or officers"),
        error_messages={"required": _("Enter what the capability is counted in")},
    )
    national_planning_assumption = _whole_number(
        "National planning assumption",
        "the national planning assumption",
        help_text=_("How many the police service should be able to field nationally"),
    )
    paragraphs = forms.CharField(
        label=_("SPR paragraphs"), max_length=60, required=False, help_text=_("For example, 3.2, 4.2")
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea, max_length=4000)
    position = _whole_number("Position in lists", "the position", initial=0)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class CommitmentForm(forms.Form):
    committed = _whole_number(
        "Committed",
        "the number committed to the national pool",
        help_text=_("How many the force has committed to the national pool"),
    )
    available = _whole_number("Available", "the number available now", help_text=_("How many are available now"))
    notice_period_hours = _whole_number(
        "Notice period in hours", "the notice period in hours", help_text=_("Hours the force needs to mobilise them")
    )
    as_of = GovukDateField(
        label=_("Date the figures were true"),
        help_text=_("For example, 31 3 2026"),
        error_messages={"required": _("Enter the date the figures were true")},
    )


class ExpectedContributionForm(forms.Form):
    """One force's expected contribution for one capability and period (a national administrator)."""

    force = GovukModelChoiceField(
        label=_("Force"),
        queryset=Force.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a force"),
        error_messages={"required": _("Select a force"), "invalid_choice": _("Select a force from the list")},
    )
    capability = GovukModelChoiceField(
        label=_("Capability"),
        queryset=CapacityCapability.objects.order_by("position", "name"),
        to_field_name="code",
        empty_label=_("Choose a capability"),
        error_messages={
            "required": _("Select a capability"),
            "invalid_choice": _("Select a capability from the list"),
        },
    )
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=7,
        help_text=_("A financial year, for example 2025/26"),
        error_messages={"required": _("Enter the reporting period")},
        validators=[validate_period],
    )
    expected = _whole_number(
        _("Expected contribution"),
        _("the expected contribution"),
        help_text=_("In the capability's unit, for example police support units"),
    )
    official = forms.BooleanField(
        label=_("This is an official figure"),
        required=False,
        help_text=_("Leave unticked for an illustrative figure: pages, reports and CSVs will say so"),
    )


class ExpectedUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a CSV file"),
        help_text=_("Columns: force_code, capability_code, period, expected, official (yes or no)"),
        error_messages={"required": _("Select a CSV file"), "empty": _("The selected file is empty")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 1024 * 1024:
            raise forms.ValidationError(_("The selected file must be smaller than 1 MB"))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The selected file must be a CSV file saved as UTF-8")) from None
