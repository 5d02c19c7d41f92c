"""The forms that start an assessment (force, edition, period and what to carry over from last year)
and answer one requirement (judgement, narrative, evidence and a new link or file), with where a
service's errors about the new evidence are shown."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assessments import records
from core.forms.govuk import (
    GovukChoiceField,
    GovukModelChoiceField,
    GovukMultipleChoiceField,
    apply_gds_messages,
    textarea_field,
    validate_web_address,
)
from core.periods import validate_period

# ----------------------------------------------------------------------------- assessments


class AssessmentCreateForm(forms.Form):
    force = GovukModelChoiceField(
        queryset=None,
        label=_("Force"),
        empty_label=_("Select a force"),
        error_messages={"required": _("Select a force")},
    )
    edition = GovukModelChoiceField(
        queryset=None,
        label=_("SPR edition"),
        required=False,
        empty_label=_("The edition in force at the start of the period"),
        help_text=_("Leave this unless a national administrator has said to use another edition"),
        error_messages={"invalid_choice": _("Select an SPR edition")},
    )
    period = forms.CharField(
        label=_("Reporting period"),
        max_length=7,
        help_text=_("The financial year, for example 2025/26"),
        error_messages={"required": _("Enter the reporting period")},
    )
    start_from_previous = forms.BooleanField(
        label=_("Start from last year's assessment"),
        required=False,
        help_text=_("Copies each narrative and its evidence, open actions and live departures"),
    )
    keep_judgements = forms.BooleanField(
        label=_("Keep last year's judgements"),
        required=False,
        help_text=_("Otherwise every judgement starts as not yet assessed"),
    )

    def __init__(self, *args, forces, editions, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
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
            self.add_error("keep_judgements", _("Select 'Start from last year's assessment' to keep its judgements"))
        if self.single_force is not None:
            cleaned["force"] = self.single_force
        return cleaned


# ----------------------------------------------------------------------------- responses


def _evidence_hint(item) -> str:
    """Kind, owner and date; and, for another force's item, who shares it (or that it no longer is)."""
    hint = f"{item.get_kind_display()}, {item.owner}, {item.evidence_date.day} {item.evidence_date:%B %Y}"
    citation = getattr(item, "citation", "own")
    if citation == "shared":
        hint += ". " + gettext("Shared by %(force)s") % {"force": item.force.name}
    elif citation == "withdrawn":
        hint += ". " + gettext("No longer shared by %(force)s") % {"force": item.force.name}
    return hint


class ResponseForm(forms.Form):
    """One requirement's answer (records.ResponseAnswer: judgement, narrative and evidence), and
    optionally a new link or file."""

    judgement = GovukChoiceField(label=_("Judgement"), error_messages={"required": _("Select a judgement")})
    narrative = textarea_field(_("Narrative"), required=False)
    evidence = GovukMultipleChoiceField(label=_("Evidence from your library"), required=False)
    new_link_title = forms.CharField(label=_("Link title"), required=False, max_length=200)
    new_link_url = forms.CharField(
        label=_("Web address"), required=False, max_length=1000, validators=[validate_web_address]
    )
    new_file_title = forms.CharField(label=_("File title"), required=False, max_length=200)
    new_file = forms.FileField(label=_("Upload a file"), required=False)
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("Reload the page and try again"), "invalid": _("Reload the page and try again")},
    )

    def __init__(self, *args, levels, evidence_items, continuing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        apply_gds_messages(self)
        self.levels = {level.code: level for level in levels}
        self.fields["judgement"].choices = [(level.code, level.label) for level in levels]
        self.fields["judgement"].option_hints = {level.code: level.description for level in levels}
        self.fields["judgement"].error_messages["invalid_choice"] = _("Select a judgement from the scale")
        self.fields["evidence"].choices = [(str(item.pk), item.title) for item in evidence_items]
        self.fields["evidence"].option_hints = {str(item.pk): _evidence_hint(item) for item in evidence_items}
        self.fields["evidence"].error_messages["invalid_choice"] = _("Choose evidence from your force's library")
        self.continuing = continuing

    @staticmethod
    def initial_for(response) -> dict:
        """The form's values for a response as it stands: its answer (records.answer_of) and version."""
        answer = records.answer_of(response)
        return {
            "judgement": answer.judgement,
            **{name: getattr(answer, name) for name in records.ANSWER_TEXT_FIELDS},
            "evidence": [str(pk) for pk in answer.evidence_ids],
            "version": response.version,
        }

    def answer(self, *, added_evidence: Iterable[int] = ()) -> records.ResponseAnswer:
        """The answer given (every field of records.ResponseAnswer is a field of this form), with the
        ids of any evidence added alongside it (a new link or file)."""
        data = self.cleaned_data
        given = {key: data[key] for key in records.ResponseAnswer.names()}
        return records.ResponseAnswer.from_data({**given, "evidence": [*given["evidence"], *added_evidence]})

    def clean(self):
        cleaned = super().clean()
        level = self.levels.get(cleaned.get("judgement"))
        if self.continuing and level is not None and level.is_assessed and not cleaned.get("narrative", "").strip():
            self.add_error("narrative", _("Enter a narrative that explains the judgement"))
        link_title, link_url = cleaned.get("new_link_title", "").strip(), cleaned.get("new_link_url", "").strip()
        if link_url and not link_title:
            self.add_error("new_link_title", _("Enter a title for the link"))
        if link_title and not link_url and "new_link_url" not in self.errors:
            self.add_error("new_link_url", _("Enter the web address of the link"))
        file_title, upload = cleaned.get("new_file_title", "").strip(), cleaned.get("new_file")
        if upload and not file_title:
            self.add_error("new_file_title", _("Enter a title for the file"))
        if file_title and not upload:
            self.add_error("new_file", _("Select a file"))
        return cleaned


RESPONSE_ERROR_FIELDS = {"url": "new_link_url", "upload": "new_file", "title": "new_file_title"}
