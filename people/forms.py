"""GOV.UK forms for people administration. They parse input only; the rules live in people.services."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from core.forms.govuk import GovukChoiceField, GovukModelChoiceField
from core.roles import FORCE_ROLES
from forces.models import Force
from people.models import JOB_TITLE_MAX, NAME_MAX
from people.permissions import grantable_roles, managed_force_ids


def _forces_for(user):
    managed = managed_force_ids(user)
    forces = Force.objects.order_by("name")
    return forces if managed is None else forces.filter(id__in=managed)


class PersonFields(forms.Form):
    """Name, job title, role and force: what an invitation asks and what an administrator changes."""

    name = forms.CharField(
        label=_("Full name"), max_length=NAME_MAX, error_messages={"required": _("Enter a full name")}
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=JOB_TITLE_MAX,
        help_text=_("For example, Head of strategic planning"),
        error_messages={"required": _("Enter a job title")},
    )
    role = GovukChoiceField(label=_("Role"), choices=[], error_messages={"required": _("Select a role")})
    force = GovukModelChoiceField(
        label=_("Force"),
        queryset=Force.objects.none(),
        required=False,
        empty_label=_("Select a force"),
        help_text=_("Needed for every role except HMIC inspector and national administrator"),
        to_field_name="code",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        roles = grantable_roles(user)
        self.fields["role"].choices = [(role.slug, role.value) for role in roles]
        self.fields["force"].queryset = _forces_for(user)
        self.force_role_slugs = [role.slug for role in roles if role in FORCE_ROLES]

    def clean(self):
        data = super().clean()
        if data.get("role") in self.force_role_slugs and not data.get("force"):
            self.add_error("force", _("Select the force they will work for"))
        return data


class OwnDetailsForm(forms.Form):
    """A person's own name and job title, and how they want their reminders."""

    name = forms.CharField(
        label=_("Full name"), max_length=NAME_MAX, error_messages={"required": _("Enter your full name")}
    )
    job_title = forms.CharField(
        label=_("Job title"),
        max_length=JOB_TITLE_MAX,
        help_text=_("As colleagues would recognise it, for example Head of strategic planning"),
        error_messages={"required": _("Enter your job title")},
    )
    digest_only = forms.BooleanField(
        label=_("Send me only the weekly digest"),
        required=False,
        help_text=_(
            "Instead of an e-mail for each deadline, action, evidence review or departure review as it "
            "comes due, get one e-mail on Mondays listing everything that is waiting for you"
        ),
    )


class InviteForm(PersonFields):
    field_order = ["name", "job_title", "email", "role", "force"]

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("The invitation is sent here; it is also how they sign in"),
        error_messages={
            "required": _("Enter an e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.police.uk"),
        },
    )


class AcceptForm(SetPasswordForm):
    """Django's SetPasswordForm (every password validator applies), with GDS wording."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Create a password")
        self.fields["new_password1"].error_messages["required"] = _("Enter a password")
        self.fields["new_password2"].label = _("Confirm your password")
        self.fields["new_password2"].error_messages["required"] = _("Confirm your password")


class SsoMappingForm(PersonFields):
    """A single sign-on group claim value and the role (and force) it gives."""

    field_order = ["group", "role", "force"]

    group = forms.CharField(
        label=_("Group claim value"),
        max_length=200,
        help_text=_(
            "Exactly as the provider sends it. For Microsoft Entra ID, the group's object ID (in the "
            "groups claim) or the app role's value (in the roles claim)"
        ),
        error_messages={"required": _("Enter the group claim value")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["name"]
        del self.fields["job_title"]


class SsoMappingChangeForm(SsoMappingForm):
    """The role and force a mapped group gives (the group's value stays)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["group"]
