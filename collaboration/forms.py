"""GOV.UK forms for collaboration agreements. Forms parse and check input (GDS error wording);
collaboration.services does every write."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from capabilities.models import CapacityCapability, Requirement
from collaboration.models import PartyType, StatutoryBasis
from core.forms.govuk import (
    GovukChoiceField,
    GovukDateField,
    GovukModelChoiceField,
    GovukMultipleChoiceField,
    apply_gds_messages,
    textarea_field,
)
from threats.models import Edition, EditionStatus

REF_SPLIT = re.compile(r"[,;\s]+")


def requirements_from_refs(edition: Edition, text: str) -> list[Requirement]:
    """The edition's requirements named by paragraph reference ("3.2(a), 6.4"); raises
    forms.ValidationError naming any reference the edition does not have."""
    refs = [ref for ref in REF_SPLIT.split(text or "") if ref]
    found = {item.ref: item for item in Requirement.objects.filter(edition=edition, ref__in=refs)}
    unknown = [ref for ref in refs if ref not in found]
    if unknown:
        raise forms.ValidationError(
            _("Enter paragraph references from %(edition)s, for example 6.4 (not found: %(refs)s)")
            % {"edition": edition.title, "refs": ", ".join(unknown[:5])}
        )
    return list(dict.fromkeys(found[ref] for ref in refs))


class AgreementForm(forms.Form):
    """A new agreement, recorded by the lead force (a user who acts for one force leads with it)."""

    lead_force = GovukModelChoiceField(
        queryset=None,
        label=_("Lead force"),
        empty_label=_("Select a force"),
        error_messages={"required": _("Select the lead force")},
    )
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    statutory_basis = GovukChoiceField(
        label=_("Statutory basis"),
        choices=StatutoryBasis.choices,
        error_messages={
            "required": _("Select the statutory basis"),
            "invalid_choice": _("Select the statutory basis"),
        },
    )
    statutory_basis_other = forms.CharField(label=_("If other, the statutory basis"), max_length=200, required=False)
    description = textarea_field(_("What the agreement covers"), required=False, max_length=4000)
    partners = GovukMultipleChoiceField(
        label=_("Other parties"),
        help_text=_("The other forces (and their policing bodies) party to the agreement"),
        error_messages={
            "required": _("Select at least one other force that is party to the agreement"),
            "invalid_choice": _("Select forces from the list"),
        },
    )
    edition = GovukModelChoiceField(
        queryset=Edition.objects.filter(status=EditionStatus.IN_FORCE).order_by("-published_on"),
        label=_("SPR edition"),
        empty_label=None,
        error_messages={"required": _("Select the SPR edition")},
    )
    requirements = forms.CharField(
        label=_("SPR requirements it delivers"),
        required=False,
        max_length=2000,
        help_text=_("Paragraph references separated by commas, for example 3.2(a), 6.4"),
    )
    capabilities = GovukMultipleChoiceField(label=_("Capabilities it provides"), required=False)
    start_date = GovukDateField(
        label=_("Start date"),
        help_text=_("For example, 1 4 2025"),
        error_messages={"required": _("Enter the start date")},
    )
    review_date = GovukDateField(label=_("Review date"), required=False, help_text=_("For example, 31 3 2027"))
    end_date = GovukDateField(label=_("End date"), required=False, help_text=_("Leave empty if it has no end date"))

    def __init__(self, *args, lead_forces, partner_forces, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.fields["lead_force"].queryset = lead_forces
        self.single_force = lead_forces.first() if lead_forces.count() == 1 else None
        if self.single_force is not None:
            del self.fields["lead_force"]
        self._partners = {str(force.pk): force for force in partner_forces}
        self.fields["partners"].choices = [(key, force.name) for key, force in self._partners.items()]
        self._capabilities = {str(item.pk): item for item in CapacityCapability.objects.order_by("position", "name")}
        self.fields["capabilities"].choices = [(key, item.name) for key, item in self._capabilities.items()]

    def clean_requirements(self):
        edition = self.cleaned_data.get("edition")
        text = self.cleaned_data.get("requirements", "")
        if edition is None or not text.strip():
            return []
        return requirements_from_refs(edition, text)

    def clean(self):
        data = super().clean()
        data["lead_force"] = self.single_force or data.get("lead_force")
        data["partner_forces"] = [self._partners[key] for key in data.get("partners", [])]
        data["capability_objects"] = [self._capabilities[key] for key in data.get("capabilities", [])]
        return data


class ConfirmAgreementForm(forms.Form):
    """No fields: the button is the confirmation (the CSRF token makes it a form)."""


class AgreementChangeForm(AgreementForm):
    """The lead force changes an agreement's details, what it delivers and its dates (never its lead
    force or parties)."""

    def __init__(self, *args, agreement, **kwargs):
        requirements = list(agreement.requirements.select_related("edition").order_by("position"))
        kwargs.setdefault(
            "initial",
            {
                "title": agreement.title,
                "statutory_basis": agreement.statutory_basis,
                "statutory_basis_other": agreement.statutory_basis_other,
                "description": agreement.description,
                "edition": requirements[0].edition_id if requirements else None,
                "requirements": ", ".join(item.ref for item in requirements),
                "capabilities": [str(pk) for pk in agreement.capabilities.values_list("pk", flat=True)],
                "start_date": agreement.start_date,
                "review_date": agreement.review_date,
                "end_date": agreement.end_date,
            },
        )
        lead = type(agreement.lead_force).objects.filter(pk=agreement.lead_force_id)
        super().__init__(*args, lead_forces=lead, partner_forces=[], **kwargs)
        del self.fields["partners"]


class AddPartyForm(forms.Form):
    """The lead force adds a force to an agreement: one of the forces not yet party to it."""

    force = GovukModelChoiceField(
        queryset=None,
        label=_("Force"),
        empty_label=_("Select a force"),
        error_messages={
            "required": _("Select the force to add"),
            "invalid_choice": _("Select a force that is not already a party to the agreement"),
        },
    )
    party_type = GovukChoiceField(
        label=_("Who is party to the agreement"),
        choices=PartyType.choices,
        initial=PartyType.BOTH,
        error_messages={
            "required": _("Select who is party to the agreement"),
            "invalid_choice": _("Select who is party to the agreement"),
        },
    )

    def __init__(self, *args, forces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["force"].queryset = forces


class RemovePartyForm(forms.Form):
    """No fields: the button is the confirmation. It carries the service's refusal, if any, to the page."""
