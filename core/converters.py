"""URL converters that never hand a view a NUL, another control character or an id the database
cannot hold.

Django's `<str:>` takes anything but "/", NUL included, and PostgreSQL refuses a NUL in any query
("A string literal cannot contain NUL (0x00) characters"), so a requirement reference of `%00` was a
server error. `<text:ref>` takes anything but "/" and control characters, so such a URL is simply not
found. `<id:pk>` is `<int:pk>` bounded to 18 digits: Django's takes any number of digits, and one
past a bigint was an OverflowError (a 500) on SQLite. Registered by core.apps.CoreConfig.ready(),
before any URLconf is read.
"""

from __future__ import annotations

from django.urls import register_converter
from django.urls.converters import IntConverter, StringConverter


class TextConverter(StringConverter):
    """Like `<str:>`, without control characters (C0, DEL and C1)."""

    regex = r"[^/\x00-\x1f\x7f-\x9f]+"


class IdConverter(IntConverter):
    """A database id: 1 to 18 digits, always inside a 64-bit integer."""

    regex = "[0-9]{1,18}"


def register() -> None:
    register_converter(TextConverter, "text")
    register_converter(IdConverter, "id")
