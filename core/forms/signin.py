"""django-allauth's sign-in forms with GOV.UK labels and GDS error wording (ACCOUNT_FORMS)."""

from __future__ import annotations

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _


def _word(form, name: str, *, label, required, autocomplete: str | None = None) -> None:
    field = form.fields.get(name)
    if field is None:
        return
    field.label = label
    field.error_messages["required"] = required
    field.widget.attrs.pop("placeholder", None)
    if autocomplete:
        field.widget.attrs["autocomplete"] = autocomplete


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(
            self,
            "login",
            label=_("Username or email address"),
            required=_("Enter your username or email address"),
            autocomplete="username",
        )
        _word(self, "password", label=_("Password"), required=_("Enter your password"))
        self.fields["password"].help_text = ""


class ChangePasswordForm(allauth_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "oldpassword", label=_("Current password"), required=_("Enter your current password"))
        _word(self, "password1", label=_("New password"), required=_("Enter a new password"))
        _word(self, "password2", label=_("Confirm new password"), required=_("Confirm your new password"))
        self.fields["oldpassword"].help_text = ""


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "email", label=_("Email address"), required=_("Enter your email address"), autocomplete="email")
        self.fields["email"].error_messages["invalid"] = _(
            "Enter an email address in the correct format, like name@example.com"
        )


class ResetPasswordKeyForm(allauth_forms.ResetPasswordKeyForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _word(self, "password1", label=_("New password"), required=_("Enter a new password"))
        _word(self, "password2", label=_("Confirm new password"), required=_("Confirm your new password"))
