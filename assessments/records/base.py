"""How a record is declared, and what every record shares: the field options, the JSON form (written
and read from the one list of fields, with no key restated anywhere), the outward names and the
database paths of each field, and the people records name.

A record is a frozen dataclass with slots. Each field may say, through `field(...)`:
- `json`: its key in JSON when the Python name cannot be the key (`from` is a keyword);
- `api`: its key in the API's output, or False to leave it out (the API renders records, or rows
  as the record would be: `assessments.api.serializers.common.RecordRendering`, `row_rendering`);
- `source`: the ORM path it is read from when the builders read rows (`requirement__ref`); by default
  its own name, so a plain field added to a model and to its record needs nothing more.

`to_json` and `from_json` walk the fields with their type annotations: dates and moments are ISO 8601
text, nested records are objects, tuples are lists, `X | None` may be null. `from_json` is strict: a
key missing or left over is an error, so a payload in an older shape must go through
`assessments.records.schema.upgrade` first, and a shape change cannot slip in without a step there.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass

from core.people import job_title_of

MISSING = dataclasses.MISSING


def field(*, json: str | None = None, api: str | bool = True, source: str | None = None, default=MISSING):
    """A record field with its outward names (see the module's docstring)."""
    metadata = {"json": json, "api": api, "source": source}
    return dataclasses.field(default=default, metadata=metadata)


def json_key(f: dataclasses.Field) -> str:
    return f.metadata.get("json") or f.name


def api_key(f: dataclasses.Field) -> str | None:
    api = f.metadata.get("api", True)
    if api is False:
        return None
    return f.name if api is True else api


def source_of(f: dataclasses.Field) -> str:
    return f.metadata.get("source") or f.name


# --- People ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a record names, as they were when it was read: a published snapshot keeps the name and
    job title its people had on the day, whatever their accounts say later.

    `name` is the account's full name ("" when none was recorded, as in snapshots of schema 1);
    `job_title` the person's job title on their profile (people.Profile; "" when none was recorded).
    """

    username: str
    name: str = ""
    job_title: str = ""

    @property
    def label(self) -> str:
        """How a person is shown: "Name, job title", else the name, else the username."""
        if self.name and self.job_title:
            return f"{self.name}, {self.job_title}"
        return self.name or self.username


def person_of(user) -> Person | None:
    """The Person a user account is today (None for no account)."""
    if user is None:
        return None
    return Person(username=user.get_username(), name=user.get_full_name(), job_title=job_title_of(user))


#: The ORM columns a Person is read from, after the path to the user (`updated_by__` + each); the job
#: title through the people app's Profile (a reverse one-to-one, named by string only).
PERSON_COLUMNS = ("username", "first_name", "last_name", "profile__job_title")


@functools.cache
def people_fields(cls) -> frozenset[str]:
    """The names of the record's fields that hold a Person."""
    hints = typing.get_type_hints(cls)
    return frozenset(f.name for f in dataclasses.fields(cls) if _kind_of(hints[f.name]) == PERSON)


class People:
    """Person records from rows of PERSON_COLUMNS, one object per distinct person: an assessment's
    1,209 responses name a handful of people."""

    def __init__(self):
        self._seen: dict[tuple, Person] = {}

    def get(
        self, username: str | None, first_name: str = "", last_name: str = "", job_title: str | None = ""
    ) -> Person | None:
        if username is None:
            return None
        key = (username, first_name, last_name, job_title or "")
        try:
            return self._seen[key]
        except KeyError:
            # As User.get_full_name() puts it.
            name = f"{first_name} {last_name}".strip()
            return self._seen.setdefault(key, Person(username=username, name=name, job_title=job_title or ""))


# --- Outward names ---------------------------------------------------------------------------------

#: How a field's value is turned into API output (see `api_plan`).
PLAIN, LIST, PERSON, MOMENT, DAY = "plain", "list", "person", "moment", "day"


def api_fields(cls) -> list[str]:
    """The record's keys in the API's output, in order."""
    return [key for f in dataclasses.fields(cls) if (key := api_key(f))]


@functools.cache
def api_plan(cls) -> tuple[tuple[str, str, str], ...]:
    """(API key, field name, kind) for each field the API shows: the kind says how its value is
    written (as it is, a tuple as a list, a person as their username, a moment or a day as ISO 8601)."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        key = api_key(f)
        if key:
            plan.append((key, f.name, _kind_of(hints[f.name])))
    return tuple(plan)


def _kind_of(kind) -> str:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if typing.get_origin(kind) is tuple:
        return LIST
    if kind is Person:
        return PERSON
    if kind is dt.datetime:
        return MOMENT
    if kind is dt.date:
        return DAY
    return PLAIN


# --- JSON ------------------------------------------------------------------------------------------


def to_json(record) -> dict:
    """The record as JSON-ready data: one key per field, nested records as objects."""
    data = {}
    for name, key, dump, _ in _plan(type(record)):
        value = getattr(record, name)
        data[key] = value if dump is None else dump(value)
    return data


def from_json(cls, data: dict):
    """The record `to_json` wrote. Raises ValueError naming the key that is missing or not known."""
    plan = _plan(cls)
    unknown = set(data) - {key for _, key, _, _ in plan}
    if unknown:
        raise ValueError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
    values = {}
    for name, key, _, load in plan:
        try:
            raw = data[key]
        except KeyError:
            raise ValueError(f"{cls.__name__} needs {key}") from None
        values[name] = raw if load is None else load(raw)
    return cls(**values)


@functools.cache
def _plan(cls) -> tuple[tuple[str, str, Callable | None, Callable | None], ...]:
    """(name, JSON key, dump, load) for each field; dump and load are None where the value goes as
    it is."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        dump, load = _converters(hints[f.name])
        plan.append((f.name, json_key(f), dump, load))
    return tuple(plan)


def _converters(kind) -> tuple[Callable | None, Callable | None]:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"Records take X | None only, not {kind}")
        dump, load = _converters(inner[0])
        if dump is None and load is None:
            return None, None
        return (
            (lambda value: None if value is None else dump(value)) if dump else None,
            (lambda value: None if value is None else load(value)) if load else None,
        )
    if origin is tuple:
        dump, load = _converters(typing.get_args(kind)[0])
        return (
            (lambda values: [dump(value) for value in values]) if dump else list,
            (lambda values: tuple(load(value) for value in values)) if load else tuple,
        )
    if kind is dt.datetime:
        return dt.datetime.isoformat, dt.datetime.fromisoformat
    if kind is dt.date:
        return dt.date.isoformat, dt.date.fromisoformat
    if dataclasses.is_dataclass(kind):
        return to_json, functools.partial(from_json, kind)
    if kind in (str, int, bool, float):
        return None, None
    raise TypeError(f"Records cannot hold {kind}")


def shape_of(cls) -> dict:
    """The JSON shape the record declares, as data (key -> type name, nested records spelled out):
    what a snapshot of the current schema looks like, for the test that pins it."""
    hints = typing.get_type_hints(cls)
    shape = {}
    for f in dataclasses.fields(cls):
        shape[json_key(f)] = _shape_of_type(hints[f.name])
    return shape


def _shape_of_type(kind):
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = [arg for arg in typing.get_args(kind) if arg is not type(None)][0]
        return {"nullable": _shape_of_type(inner)}
    if origin is tuple:
        return [_shape_of_type(typing.get_args(kind)[0])]
    if dataclasses.is_dataclass(kind):
        return shape_of(kind)
    return kind.__name__
