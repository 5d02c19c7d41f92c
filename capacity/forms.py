"""GOV.UK forms for capacity planning. They only parse input (GDS error wording); the writes and the
rules live in capabilities.services."""

from __future__ import annotations

from django import forms

from core.forms.govuk import GovukDateField


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
        label="Code",
        max_length=60,
        help_text="Lower case letters, numbers and hyphens, e.g. public-order-psu. It cannot be changed later.",
        error_messages={"required": "Enter a code", "invalid": "Code must use only letters, numbers and hyphens"},
    )
    name = forms.CharField(label="Name", max_length=150, error_messages={"required": "Enter the capability's name"})
    unit = forms.CharField(
        label="Counted in",
        max_length=80,
        help_text="For example, police support units or officers",
        error_messages={"required": "Enter what the capability is counted in"},
    )
    national_planning_assumption = _whole_number(
        "National planning assumption",
        "the national planning assumption",
        help_text="How many the police service should be able to field nationally",
    )
    paragraphs = forms.CharField(
        label="SPR paragraphs", max_length=60, required=False, help_text="For example, 3.2, 4.2"
    )
    description = forms.CharField(label="Description", required=False, widget=forms.Textarea, max_length=4000)
    position = _whole_number("Position in lists", "the position", initial=0)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]


class CommitmentForm(forms.Form):
    committed = _whole_number(
        "Committed",
        "the number committed to the national pool",
        help_text="How many the force has committed to the national pool",
    )
    available = _whole_number("Available", "the number available now", help_text="How many are available now")
    notice_period_hours = _whole_number(
        "Notice period in hours", "the notice period in hours", help_text="Hours the force needs to mobilise them"
    )
    as_of = GovukDateField(
        label="Date the figures were true",
        help_text="For example, 31 3 2026",
        error_messages={"required": "Enter the date the figures were true"},
    )
