"""What the assessment API's serializers share: the rendering of a record (`assessments.records`) as
output, the read-only fields that show an object's code or a person's username, and the building
blocks of every input: text that must be text, text kept exactly as sent, the force named by its
code, a note for the record, and the strict input serializer that refuses any key it does not take,
as read-only when the resource shows it and as unknown otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import timezone
from rest_framework import serializers

from assessments.records.base import DAY, LIST, MOMENT, PERSON, api_plan
from forces.models import Force

READ_ONLY_MESSAGE = "This field cannot be changed"
UNKNOWN_MESSAGE = "This field is not recognised"
#: Keys a browser form may add that are not data (Django's CSRF token).
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


# Output ---------------------------------------------------------------------------------------------


class Moments:
    """DRF's DateTimeField output in the current time zone, each distinct moment worked out once: the
    1,209 responses of a new assessment share one, and DRF's field takes a few microseconds a value."""

    def __init__(self):
        self._field = serializers.DateTimeField(default_timezone=timezone.get_current_timezone())
        self._seen: dict = {}

    def __call__(self, value):
        if value is None:
            return None
        try:
            return self._seen[value]
        except KeyError:
            return self._seen.setdefault(value, self._field.to_representation(value))


def _username(person) -> str | None:
    return None if person is None else person.username


def _day(value) -> str | None:
    return None if value is None else value.isoformat()


class RecordRendering:
    """A record as the API shows it: its `api` keys in the record's order, a tuple as a list, a person
    as their username, a moment as DRF writes it, a day in ISO 8601. One rendering serves a whole
    list (it keeps the moments it has written)."""

    def __init__(self, record_class):
        converters = {LIST: list, PERSON: _username, MOMENT: Moments(), DAY: _day}
        self._plan = [(key, name, converters.get(kind)) for key, name, kind in api_plan(record_class)]

    def __call__(self, record) -> dict:
        data = {}
        for key, name, convert in self._plan:
            value = getattr(record, name)
            data[key] = value if convert is None else convert(value)
        return data


def code_field(help_text: str) -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="code", read_only=True, help_text=help_text)


def username_field() -> serializers.SlugRelatedField:
    return serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)


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
