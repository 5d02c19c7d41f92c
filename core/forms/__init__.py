from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ApiTokenForm(forms.Form):
    """Make a personal API token: what it is for, and how many days it lasts."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example “Monthly figures script”"),
        error_messages={"required": _("Enter a name for the token")},
    )
    days = forms.IntegerField(
        label=_("Days until it expires"),
        min_value=1,
        max_value=settings.SPR_API_TOKEN_DAYS,
        initial=settings.SPR_API_TOKEN_DAYS,
        help_text=_("At most %(days)s days") % {"days": settings.SPR_API_TOKEN_DAYS},
        error_messages={
            "required": _("Enter how many days the token lasts"),
            "invalid": _("Days until it expires must be a whole number"),
            "min_value": _("Days until it expires must be 1 or more"),
            "max_value": _("Days until it expires must be %(limit_value)s or fewer"),
        },
    )
