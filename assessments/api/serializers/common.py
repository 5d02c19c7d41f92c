"""What the assessment API's serializers share: the rendering of a record (`assessments.records`) as
output, the read-only fields that show an object's code or a person ("Name, job title"), and the building
blocks of every input: text that must be text, text kept exactly as sent, the force named by its
code, a note for the record, and the strict input serializer that refuses any key it does not take,
as read-only when the resource shows it and as unknown otherwise."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from assessments.records.base import DAY, LIST, MOMENT, PERSON, PERSON_COLUMNS, api_plan
from core.people import display_name
from forces.models import Force

READ_ONLY_MESSAGE = "This field cannot be changed"
UNKNOWN_MESSAGE = "This field is not recognised"
#: Keys a browser form may add that are not data (Django's CSRF token).
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


# Output ---------------------------------------------------------------------------------------------


class Moments:
    """DRF's DateTimeField output in the current time zone, each distinct moment worked out once: the
    1,209 responses of a new assessment share one, and DRF's field takes a few microseconds a value.

    An aware moment, with DRF's ISO 8601 output, is written here as DRF writes it (in the zone, ISO
    8601, UTC as `Z`) without DRF's per-value checks; anything else goes to DRF's field. The API tests
    hold the output to DRF's, field by field."""

    def __init__(self):
        zone = timezone.get_current_timezone()
        self._field = serializers.DateTimeField(default_timezone=zone)
        self._zone = zone if api_settings.DATETIME_FORMAT.lower() == ISO_8601 else None
        self._seen: dict = {}

    def __call__(self, value):
        if value is None:
            return None
        text = self._seen.get(value)
        if text is None:  # a miss costs the writing and no more (no exception raised)
            if self._zone is not None and value.utcoffset() is not None:
                text = value.astimezone(self._zone).isoformat()
                if text.endswith("+00:00"):
                    text = f"{text[:-6]}Z"
            else:
                text = self._field.to_representation(value)
            self._seen[value] = text
        return text


def _label(person) -> str | None:
    return None if person is None else person.label


def person_label(username: str | None, first_name: str, last_name: str, job_title: str | None) -> str | None:
    """`Person.label` from a row's columns (records.PERSON_COLUMNS), without building the Person."""
    if username is None:
        return None
    name = f"{first_name or ''} {last_name or ''}".strip()
    if name and job_title:
        return f"{name}, {job_title}"
    return name or username


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


class RecordRendering:
    """A record as the API shows it: its `api` keys in the record's order, a tuple as a list, a person
    as "Name, job title" (`Person.label`), a moment as DRF writes it, a day in ISO 8601. One rendering serves a whole
    list (it keeps the moments it has written)."""

    def __init__(self, record_class):
        converters = {LIST: list, PERSON: _label, MOMENT: Moments(), DAY: _day}
        self._plan = [(key, name, converters.get(kind)) for key, name, kind in api_plan(record_class)]

    def __call__(self, record) -> dict:
        data = {}
        for key, name, convert in self._plan:
            value = getattr(record, name)
            data[key] = value if convert is None else convert(value)
        return data


def row_rendering(record_class, *, columns: Mapping[str, str], worked_out: Mapping[str, Callable]):
    """A function that renders a row of a record's columns as RecordRendering renders the record,
    without building the record.

    `columns` maps the record's fields to the row's keys (a person's to the path of the user, whose
    PERSON_COLUMNS give "Name, job title"); `worked_out` maps the other fields to functions of the row that give the
    value as the API writes it. For lists read whole (1,209 responses) the function is one dict
    display, written out from the record's declaration as `dataclasses` writes a record's `__init__`:
    going through a plan field by field, or building the record first, cost two to three times the
    rest of the work on the rows. The API tests hold its output to DRF's, field by field.
    """
    factory = _row_factory(record_class, tuple(columns.items()), tuple(worked_out))
    return factory(Moments(), _day, person_label, *worked_out.values())


@functools.cache
def _row_factory(record_class, columns: tuple[tuple[str, str], ...], worked_out: tuple[str, ...]):
    columns = dict(columns)
    items = []
    for key, name, kind in api_plan(record_class):
        if name in worked_out:
            value = f"w_{name}(row)"
        else:
            value = f"row[{columns[name]!r}]"
            if kind == PERSON:
                value = "person({})".format(", ".join(f"row[{columns[name] + '__' + c!r}]" for c in PERSON_COLUMNS))
            elif kind == MOMENT:
                value = f"moment({value})"
            elif kind == DAY:
                value = f"day({value})"
        items.append(f"{key!r}: {value}")
    parameters = ", ".join(["moment", "day", "person", *(f"w_{name}" for name in worked_out)])
    # Only the record's declared names and keys are written into the source, never data.
    source = (
        f"def factory({parameters}):\n    def render(row):\n        return {{{', '.join(items)}}}\n    return render\n"
    )
    namespace: dict = {}
    exec(source, namespace)  # noqa: S102
    return namespace["factory"]


def code_field(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=help_text)


@extend_schema_field(OpenApiTypes.STR)
class PersonField(serializers.RelatedField):
    """A person as every page names them, "Name, job title" (core.people.display_name); null for none.
    Querysets load the user's profile (`select_related("…__profile")`) so a list costs no more."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("help_text", '"Name, job title"')
        super().__init__(**kwargs)

    def to_representation(self, value):
        return display_name(value)


def person_field(**kwargs) -> PersonField:
    return PersonField(**kwargs)


# Input ----------------------------------------------------------------------------------------------


class StrictCharField(serializers.CharField):
    """Text, and only text: DRF's CharField would quietly turn 42 into "42"."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


def text_field(**kwargs) -> StrictCharField:
    """Text kept exactly as sent (narratives keep their line breaks and indentation)."""
    kwargs.setdefault("trim_whitespace", False)
    return StrictCharField(**kwargs)


class StrictInputSerializer(serializers.Serializer):
    """An input whose every key must be one of its fields.

    `output` names the resource's output serializer, so that a key it shows but this input does not
    take (such as `version` or `sha256`) is refused as read-only rather than as unknown.
    """

    output: type[serializers.Serializer] | None = None

    def to_internal_value(self, data):
        errors = {}
        if isinstance(data, Mapping):
            refused = sorted(set(data) - set(self.fields) - IGNORED_KEYS)
            # Only then: building the output serializer's fields costs a few ms.
            shown = set(self.output().fields) if refused and self.output else set()
            for name in refused:
                errors[name] = [READ_ONLY_MESSAGE if name in shown else UNKNOWN_MESSAGE]
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as exc:
            if not errors or not isinstance(exc.detail, Mapping):
                raise
            errors.update(exc.detail)
        if errors:
            raise serializers.ValidationError(errors)
        return value


def force_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Force.objects.all(),
        required=False,
        help_text="The force's code; may be left out by a user who acts for one force only",
    )


def note_field(help_text: str = "Why, for the record (shown in the history and the e-mail)") -> StrictCharField:
    return text_field(required=False, allow_blank=True, default="", help_text=help_text)
