"""API filters every app shares.

Filters take codes, never ids, so a URL reads like the thing it names. An unknown code is a 400
naming the code, never a silently empty list: a typo must not look like "no requirements". Booleans
are `true` or `false`, never quietly "no filter".
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters


class CodeField(forms.CharField):
    """A code that must name at least one object of `queryset` (codes repeat across editions)."""

    def __init__(self, *, queryset: QuerySet, noun: str, **kwargs):
        self.queryset = queryset
        self.noun = noun
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value and not self.queryset.filter(code=value).exists():
            raise forms.ValidationError(
                "No %(noun)s has the code “%(value)s”.",
                code="invalid_choice",
                params={"noun": self.noun, "value": value},
            )
        return value


class CodeFilter(filters.CharFilter):
    """Filters on a related object's code, answering 400 for a code no object has.

    Not a ModelChoiceFilter: that looks the code up with `.get()`, which raises
    MultipleObjectsReturned (a 500) once two editions share an area or threat code.
    """

    field_class = CodeField

    def __init__(self, field_name: str, *, queryset: QuerySet, noun: str, **kwargs):
        kwargs.setdefault("help_text", f"The {noun}'s code; an unknown code answers 400.")
        super().__init__(field_name, **kwargs)
        self.extra.update(queryset=queryset, noun=noun)


class StrictBooleanField(forms.NullBooleanField):
    """`true`/`false` (or 1/0); anything else is an error rather than "no filter"."""

    # django-filter's BooleanWidget turns an unknown value into None, which would mean "no filter".
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        answer = {"true": True, "1": True, "false": False, "0": False}.get(str(value).lower())
        if answer is None:
            raise forms.ValidationError("Enter true or false.", code="invalid")
        return answer

    def validate(self, value):
        pass


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


#: The largest id a 64-bit primary key holds.
MAX_ID = 2**63 - 1


class IdFilter(filters.NumberFilter):
    """A database id: a whole number from 1 to the largest bigint. A number filter would take
    `-8e277` and hand it to the database (an OverflowError, a 500); this answers 400 instead."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.update(min_value=1, max_value=MAX_ID)
