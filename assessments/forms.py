"""GOV.UK forms for the self-assessment pages.

Forms only parse and check input (GDS error wording); every write goes through assessments.services.
Choice fields carry an `options` list on their bound field (value, label, hint, checked, id) so the
shared includes in templates/includes/ can render GOV.UK radios and checkboxes with the GOV.UK id
convention: the first option takes the field's id (the error summary links to it), the others
`<id>-2`, `<id>-3`...
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField

from assessments.models import (
    ActionStatus,
    DepartingParty,
    DepartureStatus,
    EvidenceKind,
    ProtectiveMarking,
    validate_period,
)
from core.uploads import ACCEPTED_DESCRIPTION

NARRATIVE_MAX = settings.SPR_NARRATIVE_MAX_LENGTH


# ----------------------------------------------------------------------------- widgets and fields


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose field id is the first radio's id, so labels and the error summary can link to it."""

    def id_for_label(self, id_, index=None):
        return id_


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return id_


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str
    checked: bool
    id: str


class OptionsBoundField(BoundField):
    """A bound choice field that lists its options for the GOV.UK radios and checkboxes includes."""

    @property
    def options(self) -> list[Option]:
        value = self.value()
        if isinstance(value, list | tuple | set):
            selected = {str(item) for item in value}
        else:
            selected = {str(value)} if value not in (None, "") else set()
        hints = getattr(self.field, "option_hints", {}) or {}
        options = []
        for choice_value, label in self.field.choices:
            key = str(choice_value)
            if key == "":
                continue
            number = len(options) + 1
            option_id = self.id_for_label if number == 1 else f"{self.id_for_label}-{number}"
            options.append(Option(key, str(label), hints.get(key, ""), key in selected, option_id))
        return options


class GovukChoiceField(forms.ChoiceField):
    bound_field_class = OptionsBoundField
    widget = GovukRadioSelect

    def __init__(self, *args, option_hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_hints = option_hints or {}


class GovukMultipleChoiceField(forms.MultipleChoiceField):
    bound_field_class = OptionsBoundField
    widget = GovukCheckboxSelectMultiple

    def __init__(self, *args, option_hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_hints = option_hints or {}


class GovukModelChoiceField(forms.ModelChoiceField):
    """A model choice rendered as a GOV.UK select (see includes/field_select.html)."""

    bound_field_class = OptionsBoundField


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs named `<name>_day`, `<name>_month`, `<name>_year` (GOV.UK date input)."""

    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


class DateBoundField(BoundField):
    @property
    def parts(self) -> list[dict]:
        """The day, month and year inputs with their ids, names, labels and current values."""
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        base = self.auto_id
        sizes = {"day": 2, "month": 2, "year": 4}
        return [
            {
                "id": f"{base}_{part}",
                "name": f"{self.html_name}_{part}",
                "label": part.capitalize(),
                "value": value[index] or "",
                "width": sizes[part],
            }
            for index, part in enumerate(("day", "month", "year"))
        ]


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GDS error messages built from the field's label."""

    widget = GovukDateWidget
    bound_field_class = DateBoundField

    def to_python(self, value):
        if isinstance(value, dt.date) or value is None:
            return value
        day, month, year = ((part or "").strip() for part in value)
        if not (day or month or year):
            return None
        name = str(self.label)
        missing = [part for part, text in (("day", day), ("month", month), ("year", year)) if not text]
        if missing:
            raise ValidationError(f"{name} must include a {' and a '.join(missing)}")
        try:
            if len(year) != 4:
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(f"{name} must be a real date") from None

    def prepare_value(self, value):
        return value


def _textarea_field(label: str, *, required: bool = True, max_length: int = NARRATIVE_MAX, empty: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=False,
        widget=forms.Textarea,
        error_messages={
            "required": empty or f"Enter the {label.lower()}",
            "max_length": f"{label} must be {max_length:,} characters or fewer",
        },
    )


def add_service_errors(form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: known fields on the field, the rest at the top."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)


# ----------------------------------------------------------------------------- assessments


class AssessmentCreateForm(forms.Form):
    force = GovukModelChoiceField(
        queryset=None, label="Force", empty_label="Select a force", error_messages={"required": "Select a force"}
    )
    edition = GovukModelChoiceField(
        queryset=None,
        label="SPR edition",
        empty_label=None,
        error_messages={"required": "Select an SPR edition", "invalid_choice": "Select an SPR edition"},
    )
    period = forms.CharField(
        label="Reporting period",
        max_length=7,
        help_text="The financial year, for example 2025/26",
        error_messages={"required": "Enter the reporting period"},
    )
    start_from_previous = forms.BooleanField(
        label="Start from last year's assessment",
        required=False,
        help_text="Copies each narrative and its evidence, open actions and live departures",
    )
    keep_judgements = forms.BooleanField(
        label="Keep last year's judgements",
        required=False,
        help_text="Otherwise every judgement starts as not yet assessed",
    )

    def __init__(self, *args, forces, editions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces
        self.fields["edition"].queryset = editions
        self.single_force = forces.first() if forces.count() == 1 else None
        if self.single_force is not None:
            # Staff of one force create for their own force: nothing to choose.
            del self.fields["force"]

    def clean_period(self):
        period = self.cleaned_data["period"].strip()
        validate_period(period)
        return period

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep_judgements") and not cleaned.get("start_from_previous"):
            self.add_error("keep_judgements", "Select 'Start from last year's assessment' to keep its judgements")
        if self.single_force is not None:
            cleaned["force"] = self.single_force
        return cleaned


# ----------------------------------------------------------------------------- responses


class ResponseForm(forms.Form):
    """One requirement's judgement, narrative and evidence, and optionally a new link or file."""

    judgement = GovukChoiceField(label="Judgement", error_messages={"required": "Select a judgement"})
    narrative = _textarea_field("Narrative", required=False)
    evidence = GovukMultipleChoiceField(label="Evidence from your library", required=False)
    new_link_title = forms.CharField(label="Link title", required=False, max_length=200)
    new_link_url = forms.CharField(label="Web address", required=False, max_length=1000)
    new_file_title = forms.CharField(label="File title", required=False, max_length=200)
    new_file = forms.FileField(label="Upload a file", required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": "Reload the page and try again", "invalid": "Reload the page and try again"},
    )

    def __init__(self, *args, levels, evidence_items, continuing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = {level.code: level for level in levels}
        self.fields["judgement"].choices = [(level.code, level.label) for level in levels]
        self.fields["judgement"].option_hints = {level.code: level.description for level in levels}
        self.fields["judgement"].error_messages["invalid_choice"] = "Select a judgement from the scale"
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence_items]
        self.fields["evidence"].option_hints = {
            str(
                item.pk
            ): f"{item.get_kind_display()}, {item.owner}, {item.evidence_date.day} {item.evidence_date:%B %Y}"
            for item in evidence_items
        }
        self.fields["evidence"].error_messages["invalid_choice"] = "Choose evidence from your force's library"
        self.continuing = continuing

    def clean(self):
        cleaned = super().clean()
        level = self.levels.get(cleaned.get("judgement"))
        if self.continuing and level is not None and level.is_assessed and not cleaned.get("narrative", "").strip():
            self.add_error("narrative", "Enter a narrative that explains the judgement")
        link_title, link_url = cleaned.get("new_link_title", "").strip(), cleaned.get("new_link_url", "").strip()
        if link_url and not link_title:
            self.add_error("new_link_title", "Enter a title for the link")
        if link_title and not link_url:
            self.add_error("new_link_url", "Enter the web address of the link")
        file_title, upload = cleaned.get("new_file_title", "").strip(), cleaned.get("new_file")
        if upload and not file_title:
            self.add_error("new_file_title", "Enter a title for the file")
        if file_title and not upload:
            self.add_error("new_file", "Select a file")
        return cleaned


RESPONSE_ERROR_FIELDS = {"url": "new_link_url", "upload": "new_file", "title": "new_file_title"}


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
    description = _textarea_field("Description", required=False, max_length=4000)
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
    url = forms.CharField(label="Web address", required=False, max_length=1000, help_text="Starting with https://")
    reference = forms.CharField(label="Reference", required=False, max_length=300)

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
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
    circumstances = _textarea_field("Circumstances", empty="Enter the circumstances of the departure")
    reasons = _textarea_field("Reasons", empty="Enter the reasons for the departure")
    alternative_arrangements = _textarea_field(
        "Alternative arrangements", empty="Enter the alternative arrangements that meet the intent"
    )
    residual_risk = _textarea_field("Residual risk", empty="Enter the residual risk")
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
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = lambda req: f"{req.ref} – {req.text[:90]}"
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence_items]
        self.fields["evidence"].error_messages["invalid_choice"] = "Choose evidence from your force's library"


class ActionForm(forms.Form):
    requirement = _requirement_field()
    gap = _textarea_field("Gap", empty="Enter the gap the action closes")
    description = _textarea_field("What will be done", empty="Enter what will be done")
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
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = lambda req: f"{req.ref} – {req.text[:90]}"


# ----------------------------------------------------------------------------- workflow and challenges


class SubmitForm(forms.Form):
    share_with_hmic = forms.BooleanField(
        label="Share with HMIC before publication",
        required=False,
        help_text="HMIC inspectors can then read the assessment while the chief constable and the PCC consider it",
    )


class ReturnForm(forms.Form):
    note = _textarea_field(
        "Reason for returning", max_length=4000, empty="Enter the reason for returning the assessment"
    )


class RespondForm(forms.Form):
    statement = _textarea_field("Chief constable's statement", empty="Enter the chief constable's statement")


class SignOffForm(forms.Form):
    statement = _textarea_field("Annual assurance statement", empty="Enter the annual assurance statement")


class ConfirmForm(forms.Form):
    """Publishing and starting a revision ask for nothing but a confirming button."""


class ChallengeForm(forms.Form):
    text = _textarea_field("Challenge", empty="Enter the challenge")


class ReplyForm(forms.Form):
    text = _textarea_field("Reply", empty="Enter your reply")


class CloseChallengeForm(forms.Form):
    note = _textarea_field("Closing note (optional)", required=False, max_length=4000)
