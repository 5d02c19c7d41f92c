"""The forms of the accountability workflow and its challenges: submitting, returning, the chief
constable's response, the PCC's sign-off, confirming, and raising, replying to and closing a challenge."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms.govuk import textarea_field


class SubmitForm(forms.Form):
    share_with_hmic = forms.BooleanField(
        label=_("Share with HMIC before publication"),
        required=False,
        help_text=_("HMIC inspectors can then read the assessment while the chief constable and the PCC consider it"),
    )


class ReturnForm(forms.Form):
    note = textarea_field(
        _("Reason for returning"), max_length=4000, empty=_("Enter the reason for returning the assessment")
    )


class RespondForm(forms.Form):
    statement = textarea_field(_("Chief constable's statement"), empty=_("Enter the chief constable's statement"))


class SignOffForm(forms.Form):
    statement = textarea_field(_("Annual assurance statement"), empty=_("Enter the annual assurance statement"))


class ConfirmForm(forms.Form):
    """Publishing and starting a revision ask for nothing but a confirming button."""


class ChallengeForm(forms.Form):
    text = textarea_field(_("Challenge"), empty=_("Enter the challenge"))


class ReplyForm(forms.Form):
    text = textarea_field(_("Reply"), empty=_("Enter your reply"))


class CloseChallengeForm(forms.Form):
    note = textarea_field(_("Closing note (optional)"), required=False, max_length=4000)
