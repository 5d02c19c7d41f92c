"""What the assessment API's serializers share: the read-only fields that show an object's code or a
person's username, and the building blocks of every input: text that must be text, text kept exactly
as sent, the force named by its code, a note for the record, and the strict input serializer that
refuses any key it does not take, as read-only when the resource shows it and as unknown otherwise."""

from __future__ import annotations

from collections.abc import Mapping

from rest_framework import serializers

from forces.models import Force

READ_ONLY_MESSAGE = "This field cannot be changed"
UNKNOWN_MESSAGE = "This field is not recognised"
#: Keys a browser form may add that are not data (Django's CSRF token).
IGNORED_KEYS = frozenset({"csrfmiddlewaretoken"})


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
