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


@register.filter(expects_localtime=True)
def govuk_datetime(value) -> str:
    """A date and time as GOV.UK writes it, "5 January 2026 at 2:15pm" (UK time; "midday" and
    "midnight" in words). The one way times are written on every page; anything else gives ""."""
    if not isinstance(value, dt.datetime):
        return govuk_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    if (value.hour, value.minute) == (12, 0):
        time = "midday"
    elif (value.hour, value.minute) == (0, 0):
        time = "midnight"
    else:
        hour = value.hour % 12 or 12
        suffix = "am" if value.hour < 12 else "pm"
        time = f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"
    return f"{govuk_date(value)} at {time}"
