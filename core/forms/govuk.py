"""The GOV.UK form parts every page form is built from: widgets, choice and date fields whose bound
fields list their options and inputs for the shared includes (templates/includes/), the textarea
field with GDS error wording, and the helper that shows a service's errors on a form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.forms.boundfield import BoundField
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

NARRATIVE_MAX = settings.SPR_NARRATIVE_MAX_LENGTH


class GovukRadioSelect(forms.RadioSelect):
    """Radios whose field id is the first radio's id, so labels and the error summary can link to it."""

    def id_for_label(self, id_, index=None):
        return id_


class GovukCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    def id_for_label(self, id_, index=None):
        return id_


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str
    checked: bool
    id: str


class OptionsBoundField(BoundField):
    """A bound choice field that lists its options for the GOV.UK radios and checkboxes includes."""

    @property
    def options(self) -> list[Option]:
        value = self.value()
        if isinstance(value, list | tuple | set):
            selected = {str(item) for item in value}
        else:
            selected = {str(value)} if value not in (None, "") else set()
        hints = getattr(self.field, "option_hints", {}) or {}
        options = []
        for choice_value, label in self.field.choices:
            key = str(choice_value)
            if key == "":
                continue
            number = len(options) + 1
            option_id = self.id_for_label if number == 1 else f"{self.id_for_label}-{number}"
            options.append(Option(key, str(label), hints.get(key, ""), key in selected, option_id))
        return options


class GovukChoiceField(forms.ChoiceField):
    bound_field_class = OptionsBoundField
    widget = GovukRadioSelect

    def __init__(self, *args, option_hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_hints = option_hints or {}


class GovukMultipleChoiceField(forms.MultipleChoiceField):
    bound_field_class = OptionsBoundField
    widget = GovukCheckboxSelectMultiple

    def __init__(self, *args, option_hints: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_hints = option_hints or {}


class GovukModelChoiceField(forms.ModelChoiceField):
    """A model choice rendered as a GOV.UK select (see includes/field_select.html)."""

    bound_field_class = OptionsBoundField


class GovukDateWidget(forms.MultiWidget):
    """Three text inputs named `<name>_day`, `<name>_month`, `<name>_year` (GOV.UK date input)."""

    def __init__(self, attrs=None):
        super().__init__({"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}, attrs)

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""


#: The date input's three labels.
DATE_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}


class DateBoundField(BoundField):
    @property
    def parts(self) -> list[dict]:
        """The day, month and year inputs with their ids, names, labels and current values."""
        value = self.value()
        if not isinstance(value, list | tuple):
            value = self.field.widget.decompress(value)
        base = self.auto_id
        sizes = {"day": 2, "month": 2, "year": 4}
        return [
            {
                "id": f"{base}_{part}",
                "name": f"{self.html_name}_{part}",
                "label": DATE_PART_LABELS[part],
                "value": value[index] or "",
                "width": sizes[part],
            }
            for index, part in enumerate(("day", "month", "year"))
        ]


#: What a date missing some of its parts says, as whole sentences a translator can reorder.
DATE_MISSING = {
    ("day",): _("%(name)s must include a day"),
    ("month",): _("%(name)s must include a month"),
    ("year",): _("%(name)s must include a year"),
    ("day", "month"): _("%(name)s must include a day and a month"),
    ("day", "year"): _("%(name)s must include a day and a year"),
    ("month", "year"): _("%(name)s must include a month and a year"),
}


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with GDS error messages built from the field's label."""

    widget = GovukDateWidget
    bound_field_class = DateBoundField

    def to_python(self, value):
        if isinstance(value, dt.date) or value is None:
            return value
        day, month, year = ((part or "").strip() for part in value)
        if not (day or month or year):
            return None
        name = str(self.label)
        missing = [part for part, text in (("day", day), ("month", month), ("year", year)) if not text]
        if missing:
            raise ValidationError(DATE_MISSING[tuple(missing)] % {"name": name})
        try:
            if len(year) != 4:
                raise ValueError
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(_("%(name)s must be a real date") % {"name": name}) from None

    def prepare_value(self, value):
        return value


#: The GOV.UK error for a web address that is not one (Django's own is "Enter a valid URL.").
WEB_ADDRESS_ERROR = _("Enter a web address in the correct format, like https://www.example.police.uk")


def validate_web_address(value: str) -> None:
    """A full web address (http or https), or the GOV.UK error message."""
    if not value or not value.strip():
        return
    try:
        URLValidator(schemes=["http", "https"])(value.strip())
    except ValidationError:
        raise ValidationError(WEB_ADDRESS_ERROR, code="invalid") from None


def apply_gds_messages(form: forms.Form) -> None:
    """Replace Django's own wording ("Ensure this value has at most 200 characters (it has 201).",
    "The submitted file is empty.") with GOV.UK error messages built from each field's label, where a
    field has not said its own."""
    defaults_file = forms.FileField.default_error_messages
    for field in form.fields.values():
        label = str(field.label or _("This"))
        messages = field.error_messages
        if isinstance(field, forms.CharField) and field.max_length and "max_length" not in messages:
            messages["max_length"] = _("%(label)s must be %(max)s characters or fewer") % {
                "label": label,
                "max": f"{field.max_length:,}",
            }
        if isinstance(field, forms.FileField):
            if messages.get("empty") == defaults_file["empty"]:
                messages["empty"] = _("The selected file is empty")
            if messages.get("invalid") == defaults_file["invalid"]:
                messages["invalid"] = _("Select a file")
            if messages.get("missing") == defaults_file["missing"]:
                messages["missing"] = _("Select a file")


def validate_not_past(value: dt.date | None, *, label: str, unchanged_from: dt.date | None = None) -> None:
    """Refuse a date before today, unless it is the date already recorded (an old action can still be
    marked done without moving its due date)."""
    if value is None or value == unchanged_from:
        return
    if value < timezone.localdate():
        raise ValidationError(_("%(label)s must be today or in the future") % {"label": label}, code="past")


def _required_text(label) -> str:
    return gettext("Enter the %(label)s") % {"label": str(label).lower()}


def _max_length_text(label, max_length: int) -> str:
    return gettext("%(label)s must be %(max)s characters or fewer") % {"label": label, "max": f"{max_length:,}"}


# Built when shown, not when the form class is: in the language of the request that shows them.
_required_text_lazy = lazy(_required_text, str)
_max_length_text_lazy = lazy(_max_length_text, str)


def textarea_field(label: str, *, required: bool = True, max_length: int = NARRATIVE_MAX, empty: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        strip=False,
        widget=forms.Textarea,
        error_messages={
            "required": empty or _required_text_lazy(label),
            "max_length": _max_length_text_lazy(label, max_length),
        },
    )


def add_service_errors(form: forms.Form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: known fields on the field, the rest at the top."""
    field_map = field_map or {}
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for name, messages in exc.message_dict.items():
        target = field_map.get(name, name)
        if target not in form.fields:
            target = None
        for message in messages:
            form.add_error(target, message)
