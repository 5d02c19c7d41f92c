"""The forms for a force's records: a new item in the evidence library, and the departures and actions
registers, each tied to a requirement of the assessment's edition."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy
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
from core.people import display_name
from core.uploads import ACCEPTED_DESCRIPTION

# ----------------------------------------------------------------------------- owners

NOT_A_MEMBER_CHOICE = gettext_lazy("Choose someone who works for the force")


class PersonChoiceField(GovukChoiceField):
    """A GOV.UK select of a force's people by name and job title (includes/field_select.html), whose
    value is the person's id (None for nobody). The services check again that they are a member."""

    widget = forms.Select

    def __init__(self, *, empty_label: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", {"invalid_choice": NOT_A_MEMBER_CHOICE})
        super().__init__(choices=[], **kwargs)
        self.empty_label = empty_label

    def set_people(self, people) -> None:
        self.choices = [("", self.empty_label), *((str(person.pk), display_name(person)) for person in people)]

    def clean(self, value):
        value = super().clean(value)
        return int(value) if value else None


class TaskOwnerFilterForm(forms.Form):
    """The task list's filter by owner (a GET form: `?owner=me` or a person's id)."""

    ME = "me"

    owner = GovukChoiceField(
        label=gettext_lazy("Show the requirements owned by"),
        required=False,
        widget=forms.Select,
        choices=[],
        error_messages={"invalid_choice": gettext_lazy("Choose a person of the force from the list")},
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.choices = [
            ("", gettext_lazy("Everyone")),
            (self.ME, gettext_lazy("Me")),
            *((str(person.pk), display_name(person)) for person in people),
        ]

    def owner_id(self, user) -> int | None:
        """The id of the person to filter by (None: everyone, or input that was not valid)."""
        if not self.is_valid() or not self.cleaned_data["owner"]:
            return None
        value = self.cleaned_data["owner"]
        return user.pk if value == self.ME else int(value)


class ResponseOwnerForm(forms.Form):
    """Who owns a requirement of the assessment: one of the force's people, or nobody."""

    owner = PersonChoiceField(
        label=gettext_lazy("Owner"),
        empty_label=gettext_lazy("Nobody"),
        help_text=gettext_lazy("The person of the force who answers this requirement; it shows under their My tasks"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].set_people(people)


# ----------------------------------------------------------------------------- evidence


class EvidenceForm(forms.Form):
    """A new library item. Without JavaScript all three kinds' fields show; only the chosen kind's count."""

    force = GovukModelChoiceField(
        queryset=None,
        label=_("Force"),
        empty_label=_("Select a force"),
        error_messages={"required": _("Select a force")},
    )
    kind = GovukChoiceField(
        label=_("What kind of evidence is it?"),
        choices=EvidenceKind.choices,
        option_hints={
            EvidenceKind.FILE: _("A document, spreadsheet or image, uploaded here"),
            EvidenceKind.LINK: _("A page on a website or intranet"),
            EvidenceKind.REFERENCE: _("A record held elsewhere, such as a file number"),
        },
        error_messages={
            "required": _("Select the kind of evidence"),
            "invalid_choice": _("Select the kind of evidence"),
        },
    )
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    description = textarea_field(_("Description"), required=False, max_length=4000)
    owner = forms.CharField(
        label=_("Owner"),
        max_length=150,
        help_text=_("Who holds the evidence, for example Head of Special Branch"),
        error_messages={"required": _("Enter who owns the evidence")},
    )
    evidence_date = GovukDateField(
        label=_("Date of the evidence"),
        help_text=_("For example, 27 3 2025"),
        error_messages={"required": _("Enter the date")},
    )
    review_by = GovukDateField(label=_("Review by"), required=False, help_text=_("For example, 27 3 2026"))
    protective_marking = GovukChoiceField(
        label=_("Protective marking"),
        choices=ProtectiveMarking.choices,
        initial=ProtectiveMarking.OFFICIAL_SENSITIVE,
        error_messages={"required": _("Select a protective marking")},
    )
    upload = forms.FileField(label=_("File"), required=False, help_text=f"{ACCEPTED_DESCRIPTION}")
    url = forms.CharField(
        label=_("Web address"),
        required=False,
        max_length=1000,
        help_text=_("Starting with https://"),
        validators=[validate_web_address],
    )
    reference = forms.CharField(label=_("Reference"), required=False, max_length=300)

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
            self.add_error("upload", _("Select a file"))
        elif kind == EvidenceKind.LINK and not cleaned.get("url", "").strip():
            self.add_error("url", _("Enter the web address"))
        elif kind == EvidenceKind.REFERENCE and not cleaned.get("reference", "").strip():
            self.add_error("reference", _("Enter the reference"))
        if self.single_force is not None:
            cleaned["force"] = self.single_force
        return cleaned


# ----------------------------------------------------------------------------- registers


def _requirement_field():
    return GovukModelChoiceField(
        queryset=None,
        label=_("Requirement"),
        empty_label=_("Select a requirement"),
        to_field_name="ref",
        error_messages={"required": _("Select a requirement"), "invalid_choice": _("Select a requirement")},
    )


class DepartureForm(forms.Form):
    requirement = _requirement_field()
    departing_party = GovukChoiceField(
        label=_("Who is departing from the requirement?"),
        choices=DepartingParty.choices,
        error_messages={"required": _("Select who is departing from the requirement")},
    )
    circumstances = textarea_field(_("Circumstances"), empty=_("Enter the circumstances of the departure"))
    reasons = textarea_field(_("Reasons"), empty=_("Enter the reasons for the departure"))
    alternative_arrangements = textarea_field(
        _("Alternative arrangements"), empty=_("Enter the alternative arrangements that meet the intent")
    )
    residual_risk = textarea_field(_("Residual risk"), empty=_("Enter the residual risk"))
    review_date = GovukDateField(
        label=_("Review date"),
        help_text=_("For example, 31 3 2026"),
        error_messages={"required": _("Enter the review date")},
    )
    status = GovukChoiceField(
        label=_("Status"),
        choices=DepartureStatus.choices,
        initial=DepartureStatus.LIVE,
        error_messages={"required": _("Select a status")},
    )
    evidence = GovukMultipleChoiceField(label=_("Supporting evidence"), required=False)

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
        self.fields["evidence"].error_messages["invalid_choice"] = _("Choose evidence from your force's library")


class ActionForm(forms.Form):
    requirement = _requirement_field()
    gap = textarea_field(_("Gap"), empty=_("Enter the gap the action closes"))
    description = textarea_field(_("What will be done"), empty=_("Enter what will be done"))
    owner_user = PersonChoiceField(
        label=gettext_lazy("Owner"),
        empty_label=gettext_lazy("Someone outside the service (enter their name below)"),
        help_text=gettext_lazy("A person of the force; the action shows under their My tasks"),
    )
    owner = forms.CharField(
        label=gettext_lazy("Or the name of an owner outside the service"),
        required=False,
        max_length=150,
        help_text=gettext_lazy("A named role, for example Head of Public Order"),
    )
    due_date = GovukDateField(
        label=_("Due date"), help_text=_("For example, 31 3 2026"), error_messages={"required": _("Enter the due date")}
    )
    status = GovukChoiceField(
        label=_("Status"),
        choices=ActionStatus.choices,
        widget=forms.Select,
        initial=ActionStatus.OPEN,
        error_messages={"required": _("Select a status"), "invalid_choice": _("Select a status")},
    )

    def __init__(self, *args, requirements, people, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["requirement"].queryset = requirements
        self.fields["requirement"].label_from_instance = lambda req: f"{req.ref} – {req.text[:90]}"
        self.fields["owner_user"].set_people(people)

    def clean(self):
        data = super().clean()
        if "owner_user" in data and not data.get("owner_user") and not data.get("owner", "").strip():
            self.add_error(
                "owner_user", gettext_lazy("Choose the owner, or enter the name of someone outside the service")
            )
        return data

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
