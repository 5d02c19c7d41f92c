"""Template filters loaded on every page (settings.TEMPLATES "builtins").

`govuk_date` exists for speed: Django's `date` filter parses its format and translates the month
name on every call, which made dates most of the cost of pages listing a few hundred of them.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone

from core.people import display_name as _display_name

register = template.Library()

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@register.filter(expects_localtime=True)
def govuk_date(value) -> str:
    """A date as GOV.UK writes it, "5 January 2026": what `|date:"j F Y"` gives in British English.
    An aware datetime is shown on its local (UK) date; anything that is not a date gives ""."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.date):
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def display_name(user) -> str:
    """A person as every page names them: "Name, job title" (core.people.display_name)."""
    return _display_name(user)
