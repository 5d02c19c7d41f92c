"""The forms for a force's records: a new item in the evidence library, and the departures and actions
registers, each tied to a requirement of the assessment's edition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import (
    ActionStatus,
    DepartingParty,
    DepartureStatus,
    EvidenceKind,
    ProtectiveMarking,
)
from core.forms.govuk import (
    GovukChoiceField,
    GovukDateField,
    GovukModelChoiceField,
    GovukMultipleChoiceField,
    apply_gds_messages,
    textarea_field,
    validate_not_past,
    validate_web_address,
)
from core.uploads import ACCEPTED_DESCRIPTION

# ----------------------------------------------------------------------------- evidence


class EvidenceForm(forms.Form):
    """A new library item. Without JavaScript all three kinds' fields show; only the chosen kind's count."""

    force = GovukModelChoiceField(
        queryset=None, label="Force", empty_label="Select a force", error_messages={"required": "Select a force"}
    )
    kind = GovukChoiceField(
        label="What kind of evidence is it?",
        choices=EvidenceKind.choices,
        option_hints={
            EvidenceKind.FILE: "A document, spreadsheet or image, uploaded here",
            EvidenceKind.LINK: "A page on a website or intranet",
            EvidenceKind.REFERENCE: "A record held elsewhere, such as a file number",
        },
        error_messages={"required": "Select the kind of evidence", "invalid_choice": "Select the kind of evidence"},
    )
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter a title"})
    description = textarea_field("Description", required=False, max_length=4000)
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="Who holds the evidence, for example Head of Special Branch",
        error_messages={"required": "Enter who owns the evidence"},
    )
    evidence_date = GovukDateField(
        label="Date of the evidence", help_text="For example, 27 3 2025", error_messages={"required": "Enter the date"}
    )
    review_by = GovukDateField(label="Review by", required=False, help_text="For example, 27 3 2026")
    protective_marking = GovukChoiceField(
        label="Protective marking",
        choices=ProtectiveMarking.choices,
        initial=ProtectiveMarking.OFFICIAL_SENSITIVE,
        error_messages={"required": "Select a protective marking"},
    )
    upload = forms.FileField(label="File", required=False, help_text=f"{ACCEPTED_DESCRIPTION}")
    url = forms.CharField(
        label="Web address",
        required=False,
        max_length=1000,
        help_text="Starting with https://",
        validators=[validate_web_address],
    )
    reference = forms.CharField(label="Reference", required=False, max_length=300)

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["force"].queryset = forces
        self.single_force = forces.first() if forces.count() == 1 else None
        if self.single_force is not None:
            del self.fields["force"]

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == EvidenceKind.FILE and not cleaned.get("upload"):
            self.add_error("upload", "Select a file")
        elif kind == EvidenceKind.LINK and not cleaned.get("url", "").strip():
            self.add_error("url", "Enter the web address")
        elif kind == EvidenceKind.REFERENCE and not cleaned.get("reference", "").strip():
            self.add_error("reference", "Enter the reference")
        if self.single_force is not None:
            cleaned["force"] = self.single_force
        return cleaned


# ----------------------------------------------------------------------------- registers


def _requirement_field():
    return GovukModelChoiceField(
        queryset=None,
        label="Requirement",
        empty_label="Select a requirement",
        to_field_name="ref",
        error_messages={"required": "Select a requirement", "invalid_choice": "Select a requirement"},
    )


class DepartureForm(forms.Form):
    requirement = _requirement_field()
    departing_party = GovukChoiceField(
        label="Who is departing from the requirement?",
        choices=DepartingParty.choices,
        error_messages={"required": "Select who is departing from the requirement"},
    )
    circumstances = textarea_field("Circumstances", empty="Enter the circumstances of the departure")
    reasons = textarea_field("Reasons", empty="Enter the reasons for the departure")
    alternative_arrangements = textarea_field(
        "Alternative arrangements", empty="Enter the alternative arrangements that meet the intent"
    )
    residual_risk = textarea_field("Residual risk", empty="Enter the residual risk")
    review_date = GovukDateField(
        label="Review date", help_text="For example, 31 3 2026", error_messages={"required": "Enter the review date"}
    )
    status = GovukChoiceField(
        label="Status",
        choices=DepartureStatus.choices,
        initial=DepartureStatus.LIVE,
        error_messages={"required": "Select a status"},
    )
    evidence = GovukMultipleChoiceField(label="Supporting evidence", required=False)

    def __init__(self, *args, requirements, evidence_items, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = lambda req: f"{req.ref} – {req.text[:90]}"
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence_items]
        # Another force's item (selectors.evidence_citable marks it) says whose it is.
        self.fields["evidence"].option_hints = {
            str(item.pk): _("Shared by %(force)s") % {"force": item.force.name}
            if getattr(item, "citation", "own") == "shared"
            else _("No longer shared by %(force)s") % {"force": item.force.name}
            for item in evidence_items
            if getattr(item, "citation", "own") != "own"
        }
        self.fields["evidence"].error_messages["invalid_choice"] = "Choose evidence from your force's library"


class ActionForm(forms.Form):
    requirement = _requirement_field()
    gap = textarea_field("Gap", empty="Enter the gap the action closes")
    description = textarea_field("What will be done", empty="Enter what will be done")
    owner = forms.CharField(
        label="Owner",
        max_length=150,
        help_text="A named role, for example Head of Public Order",
        error_messages={"required": "Enter who owns the action"},
    )
    due_date = GovukDateField(
        label="Due date", help_text="For example, 31 3 2026", error_messages={"required": "Enter the due date"}
    )
    status = GovukChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.Select,
        initial=ActionStatus.OPEN,
        error_messages={"required": "Select a status", "invalid_choice": "Select a status"},
    )

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = lambda req: f"{req.ref} – {req.text[:90]}"

    def clean_due_date(self):
        due = self.cleaned_data.get("due_date")
        validate_not_past(due, label=str(self.fields["due_date"].label), unchanged_from=self.initial.get("due_date"))
        return due


class EvidenceShareForm(forms.Form):
    """Share an item read-only: under one of the force's agreements (with all its parties), with
    named forces, or both."""

    agreement = GovukModelChoiceField(
        queryset=None,
        required=False,
        label=_("Share under a collaboration agreement"),
        empty_label=_("No agreement"),
        help_text=_("Every party to the agreement will be able to read and download it"),
    )
    forces = GovukMultipleChoiceField(label=_("Share with these forces"), required=False)

    def __init__(self, *args, agreements, forces, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["agreement"].queryset = agreements
        self.fields["agreement"].error_messages["invalid_choice"] = _("Choose an agreement your force is party to")
        self._forces = {str(force.pk): force for force in forces}
        self.fields["forces"].choices = [(key, force.name) for key, force in self._forces.items()]
        self.fields["forces"].error_messages["invalid_choice"] = _("Choose forces from the list")

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("agreement") and not data.get("forces"):
            self.add_error("agreement", _("Select an agreement or at least one force to share the evidence with"))
        data["force_objects"] = [self._forces[key] for key in data.get("forces", [])]
        return data
