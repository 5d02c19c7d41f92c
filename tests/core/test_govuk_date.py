"""govuk_date writes dates exactly as Django's `date:"j F Y"` does in British English, cheaper."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.templatetags.govuk import govuk_date


def _both(value) -> tuple[str, str]:
    template = Template('{{ value|date:"j F Y" }}|{{ value|govuk_date }}')
    return tuple(template.render(Context({"value": value})).split("|"))


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2026, 1, 5),
        dt.date(2025, 12, 31),
        dt.date(2024, 2, 29),
        # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST): the page shows the UK date.
        dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
    ],
)
def test_govuk_date_matches_the_date_filter(value):
    builtin, ours = _both(value)
    assert ours == builtin
    assert ours


def test_a_utc_time_after_midnight_in_summer_is_the_next_uk_day():
    assert govuk_date(dt.datetime(2026, 5, 31, 23, 30, tzinfo=dt.UTC)) == "1 June 2026"
    assert govuk_date(timezone.make_aware(dt.datetime(2026, 1, 5, 9, 0))) == "5 January 2026"


@pytest.mark.parametrize("value", [None, "", "2026-01-05", 42])
def test_anything_that_is_not_a_date_gives_nothing(value):
    assert govuk_date(value) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 1, 5, 14, 15, tzinfo=dt.UTC), "5 January 2026 at 2:15pm"),
        (dt.datetime(2026, 7, 5, 13, 0, tzinfo=dt.UTC), "5 July 2026 at 2pm"),  # British Summer Time
        (dt.datetime(2026, 1, 5, 12, 0, tzinfo=dt.UTC), "5 January 2026 at midday"),
        (dt.datetime(2026, 1, 5, 0, 0, tzinfo=dt.UTC), "5 January 2026 at midnight"),
        (dt.datetime(2026, 1, 5, 9, 5, tzinfo=dt.UTC), "5 January 2026 at 9:05am"),
        (dt.date(2026, 1, 5), "5 January 2026"),
        (None, ""),
    ],
)
def test_govuk_datetime_writes_times_one_way(value, expected):
    from core.templatetags.govuk import govuk_datetime

    assert govuk_datetime(value) == expected


def test_month_names_follow_the_active_language():
    """Django's own month names, translated: the Welsh interface shows Welsh months, and English
    comes back when English is active again (the words are kept per language, not once)."""
    from django.utils import translation

    with translation.override("cy"):
        assert govuk_date(dt.date(2026, 1, 5)) == "5 Ionawr 2026"
    with translation.override("en-gb"):
        assert govuk_date(dt.date(2026, 1, 5)) == "5 January 2026"
