"""Forms of the national administrator's edition pages: upload, map, retire, publish."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.govuk import GovukDateField, GovukMultipleChoiceField, apply_gds_messages


class EditionUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload an edition file"),
        help_text=_("A YAML file in the format of docs/editions.md, smaller than 2 MB"),
        error_messages={"required": _("Select an edition file"), "missing": _("Select an edition file")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)


class MappingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a mapping file"),
        help_text=_("A YAML file listing every requirement and threat (docs/editions.md)"),
        error_messages={"required": _("Select a mapping file"), "missing": _("Select a mapping file")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)


class ItemMappingForm(forms.Form):
    """Which previous requirements (or threats) one new one continues; none ticked: it is new."""

    previous = GovukMultipleChoiceField(required=False)
    same_meaning = forms.BooleanField(
        required=False,
        label=_("It means the same, so forces' judgements carry over"),
    )

    def __init__(self, *args, choices, hints, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].choices = choices
        self.fields["previous"].option_hints = hints
        self.fields["previous"].label = label

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("same_meaning") and not cleaned.get("previous"):
            self.add_error("same_meaning", _("Select what it continues, or untick that it means the same"))
        return cleaned


class RetireForm(forms.Form):
    retired = GovukMultipleChoiceField(required=False)

    def __init__(self, *args, choices, label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired"].choices = choices
        self.fields["retired"].label = label


class PublishForm(forms.Form):
    effective_from = GovukDateField(
        label=_("Date it applies from"),
        help_text=_("Assessments for periods starting on or after this day use it. For example, 1 4 2026"),
        error_messages={"required": _("Enter the date it applies from")},
    )
