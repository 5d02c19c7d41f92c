"""GOV.UK forms of the HMIC workspace. They parse input only (GDS error wording); the rules live in
inspection.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from capabilities.models import Area
from core.forms.govuk import (
    GovukChoiceField,
    GovukDateField,
    GovukModelChoiceField,
    GovukMultipleChoiceField,
    textarea_field,
)
from core.periods import current_period, validate_period
from forces.models import Force
from inspection.models import REQUEST_SHOWN_STATUSES, FindingKind, FindingStatus
from threats.models import Threat


def _requirement_label(requirement) -> str:
    return f"{requirement.ref} {requirement.text[:90]}"


class EvidenceRequestForm(forms.Form):
    force = GovukModelChoiceField(
        label=_("Force"),
        queryset=Force.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a force"),
        error_messages={"required": _("Select the force"), "invalid_choice": _("Select the force")},
    )
    requirements = GovukMultipleChoiceField(
        label=_("Requirements"),
        help_text=_("The requirements the evidence should support"),
        error_messages={
            "required": _("Select at least one requirement"),
            "invalid_choice": _("Select requirements from the list"),
        },
    )
    text = textarea_field(_("What evidence you are asking for"), empty=_("Enter what evidence you are asking for"))
    due_date = GovukDateField(label=_("Due date"), error_messages={"required": _("Enter the due date")})

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirement_rows = {str(r.pk): r for r in requirements}
        self.fields["requirements"].choices = [(str(r.pk), _requirement_label(r)) for r in requirements]

    def clean_requirements(self):
        return [self.requirement_rows[value] for value in self.cleaned_data["requirements"]]


class EvidenceAnswerForm(forms.Form):
    evidence = GovukMultipleChoiceField(
        label=_("Evidence from your library"),
        required=False,
        error_messages={"invalid_choice": _("Select evidence from your force's library")},
    )
    note = textarea_field(_("Note to the inspector"), required=False)

    def __init__(self, *args, evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence]


class FindingForm(forms.Form):
    force = GovukModelChoiceField(
        label=_("Force"),
        queryset=Force.objects.order_by("name"),
        to_field_name="code",
        empty_label=_("Choose a force"),
        error_messages={"required": _("Select the force"), "invalid_choice": _("Select the force")},
    )
    kind = GovukChoiceField(
        label=_("Kind of finding"),
        choices=FindingKind.choices,
        error_messages={"required": _("Select the kind of finding"), "invalid_choice": _("Select the kind of finding")},
    )
    text = textarea_field(_("Finding"), empty=_("Enter the finding"))
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=7,
        validators=[validate_period],
        help_text=_("A financial year, like 2025/26"),
        error_messages={"required": _("Enter the reporting period")},
    )
    found_on = GovukDateField(label=_("Date of the finding"), required=False, help_text=_("Leave blank for today"))
    requirement = GovukModelChoiceField(
        label=_("Requirement (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No single requirement"),
        error_messages={"invalid_choice": _("Select a requirement from the list")},
    )
    threat = GovukModelChoiceField(
        label=_("Threat (optional)"),
        queryset=Threat.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("No single threat"),
        error_messages={"invalid_choice": _("Select a threat from the list")},
    )
    area = GovukModelChoiceField(
        label=_("Area of Part B (optional)"),
        queryset=Area.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("No single area"),
        error_messages={"invalid_choice": _("Select an area from the list")},
    )

    def __init__(self, *args, edition=None, requirements=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("period", current_period())
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = _requirement_label
        if edition is not None:
            self.fields["threat"].queryset = Threat.objects.filter(edition=edition).order_by("position")
            self.fields["area"].queryset = Area.objects.filter(edition=edition).order_by("position")


class FindingResponseForm(forms.Form):
    response = textarea_field(_("Your response"), empty=_("Enter your response"))
    actions = GovukMultipleChoiceField(
        label=_("Actions that answer this finding"),
        required=False,
        error_messages={"invalid_choice": _("Select actions of your force")},
    )

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].choices = [
            (str(a.pk), f"{a.assessment.period} {a.requirement.ref}: {a.description[:80]}") for a in actions
        ]


REQUEST_STATUS_FILTER = [("", _("Any status")), *REQUEST_SHOWN_STATUSES]
FINDING_KIND_FILTER = [("", _("Any kind")), *FindingKind.choices]
FINDING_STATUS_FILTER = [("", _("Any status")), *FindingStatus.choices]
