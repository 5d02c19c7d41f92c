"""Template filters loaded on every page (settings.TEMPLATES "builtins").

`govuk_date` exists for speed: Django's `date` filter parses its format and translates the month
name on every call, which made dates most of the cost of pages listing a few hundred of them. The
month names (Django's own, translated) and time words are looked up once per language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language, gettext, pgettext

from core.people import display_name as _display_name

register = template.Library()


@dataclass(frozen=True)
class _Words:
    months: tuple[str, ...]
    midday: str
    midnight: str
    am: str
    pm: str
    at: str  # "%(date)s at %(time)s"


_WORDS: dict[str | None, _Words] = {}


def _words() -> _Words:
    """The month names and time words in the active language, translated once per language (Django's
    own month names, which it translates into Welsh among others)."""
    language = get_language()
    words = _WORDS.get(language)
    if words is None:
        words = _WORDS[language] = _Words(
            months=tuple(str(MONTHS[number]) for number in range(1, 13)),
            midday=gettext("midday"),
            midnight=gettext("midnight"),
            am=pgettext("time of day, as in 2:15am", "am"),
            pm=pgettext("time of day, as in 2:15pm", "pm"),
            at=gettext("%(date)s at %(time)s"),
        )
    return words


@register.filter(expects_localtime=True)
def govuk_date(value) -> str:
    """A date as GOV.UK writes it, "5 January 2026": what `|date:"j F Y"` gives in British English.
    An aware datetime is shown on its local (UK) date; anything that is not a date gives ""."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, dt.date):
        return ""
    return f"{value.day} {_words().months[value.month - 1]} {value.year}"


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
    words = _words()
    if (value.hour, value.minute) == (12, 0):
        time = words.midday
    elif (value.hour, value.minute) == (0, 0):
        time = words.midnight
    else:
        hour = value.hour % 12 or 12
        suffix = words.am if value.hour < 12 else words.pm
        time = f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"
    return words.at % {"date": govuk_date(value), "time": time}
