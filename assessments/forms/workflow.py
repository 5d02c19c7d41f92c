"""The forms of the accountability workflow and its challenges: submitting, returning, the chief
constable's response, the PCC's sign-off, confirming, and raising, replying to and closing a challenge."""

from __future__ import annotations

from django import forms

from core.forms.govuk import textarea_field


class SubmitForm(forms.Form):
    share_with_hmic = forms.BooleanField(
        label="Share with HMIC before publication",
        required=False,
        help_text="HMIC inspectors can then read the assessment while the chief constable and the PCC consider it",
    )


class ReturnForm(forms.Form):
    note = textarea_field(
        "Reason for returning", max_length=4000, empty="Enter the reason for returning the assessment"
    )


class RespondForm(forms.Form):
    statement = textarea_field("Chief constable's statement", empty="Enter the chief constable's statement")


class SignOffForm(forms.Form):
    statement = textarea_field("Annual assurance statement", empty="Enter the annual assurance statement")


class ConfirmForm(forms.Form):
    """Publishing and starting a revision ask for nothing but a confirming button."""


class ChallengeForm(forms.Form):
    text = textarea_field("Challenge", empty="Enter the challenge")


class ReplyForm(forms.Form):
    text = textarea_field("Reply", empty="Enter your reply")


class CloseChallengeForm(forms.Form):
    note = textarea_field("Closing note (optional)", required=False, max_length=4000)
