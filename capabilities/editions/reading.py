"""Reading edition files: parsing `editions/*.yaml` and checking each one whole, without touching the
database. Every problem in a file is collected (keys missing or unknown, text that is not text, dates,
scores, duplicate codes, references to threats and areas the file does not define, and the models'
own field checks) and raised together as one `EditionFileError`, each prefixed with the file name.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capabilities.editions.common import EditionFileError, EditionSpec
from capabilities.models import Area, Requirement
from threats.models import Edition, EditionStatus, JudgementLevel, Threat

#: The scale used when an edition file gives no `judgement_scale` (the SPR itself sets none).
DEFAULT_JUDGEMENT_SCALE: list[dict[str, Any]] = [
    {
        "code": "assured",
        "label": "Assured",
        "colour": "green",
        "score": 3,
        "description": "The force and policing body have shown that the requirement is met.",
    },
    {
        "code": "partially_assured",
        "label": "Partially assured",
        "colour": "yellow",
        "score": 2,
        "description": "The requirement is met in part; the gaps are known and there is a plan to close them.",
    },
    {
        "code": "not_assured",
        "label": "Not assured",
        "colour": "red",
        "score": 1,
        "description": "The requirement is not met, or there is not enough evidence to say that it is.",
    },
    {
        "code": "not_yet_assessed",
        "label": "Not yet assessed",
        "colour": "grey",
        "score": None,
        "description": "No judgement has been made yet.",
    },
]

_TOP_KEYS = ({"edition", "threats", "areas", "requirements"}, {"judgement_scale"})
_EDITION_KEYS = (
    {"code", "title", "published_on"},
    {"publisher", "status", "isbn", "source", "summary", "follows", "effective_from"},
)
_LEVEL_KEYS = ({"code", "label", "colour"}, {"score", "description"})
_THREAT_KEYS = ({"code", "name", "description", "paragraph"}, {"nsra_tier"})
_AREA_KEYS = ({"code", "name", "section"}, {"description"})
_REQUIREMENT_KEYS = ({"ref", "paragraph", "section", "text", "areas", "threats"}, {"lead_in", "group_heading"})

#: A file whose edition has this status is a reference record (what the public record says of an
#: edition whose text is not in this repository): the loader skips it, and it cannot be uploaded.
REFERENCE_STATUS = "reference"

#: The JSON Schema of an edition file (docs/editions.md); the loader checks it and so do the tests.
SCHEMA_PATH = Path(__file__).resolve().parent.parent.parent / "editions" / "schema.json"

Path_ = tuple[str | int, ...]


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported by the validator (with the
    file and key) rather than raised by PyYAML as a bare ValueError."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _line_map(node: yaml.Node | None, path: Path_ = (), lines: dict | None = None) -> dict[Path_, int]:
    """{path: line} for every key and list item of a composed YAML document (lines from 1): a
    problem found in the parsed data is reported at the line of the key or item it concerns."""
    lines = {} if lines is None else lines
    if node is None:
        return lines
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                lines[(*path, key.value)] = key.start_mark.line + 1
                _line_map(value, (*path, key.value), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines)
    return lines


class Problems:
    """The problems found in one file, each at the line of the key or item it concerns."""

    def __init__(self, lines: dict[Path_, int] | None = None):
        self.lines = lines or {}
        self.items: list[tuple[int | None, str]] = []

    def __len__(self) -> int:
        return len(self.items)

    def line_of(self, path: Path_) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def add(self, path: Path_, message: str) -> None:
        self.items.append((self.line_of(path), message))

    def extend(self, path: Path_, messages: list[tuple[str, str]]) -> None:
        for key, message in messages:
            self.add((*path, key), message)


def _check_keys(item: Any, keys: tuple[set[str], set[str]], where: str, at: Path_, problems: Problems) -> bool:
    required, optional = keys
    if not isinstance(item, dict):
        problems.add(at, _("%(where)s must be a mapping of keys to values") % {"where": where})
        return False
    missing = sorted(required - item.keys())
    unknown = sorted(item.keys() - required - optional)
    if missing:
        problems.add(at, _("%(where)s is missing %(keys)s") % {"where": where, "keys": ", ".join(missing)})
    if unknown:
        problems.add(
            (*at, unknown[0]),
            ngettext("%(where)s has unknown key %(keys)s", "%(where)s has unknown keys %(keys)s", len(unknown))
            % {"where": where, "keys": ", ".join(unknown)},
        )
    return not missing


def _text(item: dict, key: str, where: str, at: Path_, problems: Problems, *, required: bool = True) -> str:
    """Text values are stripped of surrounding whitespace only; anything else is kept exactly."""
    value = item.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.add(
            (*at, key),
            _('%(where)s: %(key)s must be text (put numbers such as "3.3" in quotes), not %(value)r')
            % {"where": where, "key": key, "value": value},
        )
        return ""
    value = value.strip()
    if required and not value:
        problems.add((*at, key), _("%(where)s: %(key)s is empty") % {"where": where, "key": key})
    return value


def _list(item: dict, key: str, where: str, at: Path_, problems: Problems) -> list:
    if key not in item:
        return []  # already reported as missing by _check_keys
    value = item[key]
    if not isinstance(value, list) or not value:
        problems.add(
            (*at, key), _("%(where)s: %(key)s must be a list with at least one entry") % {"where": where, "key": key}
        )
        return []
    return value


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1 and value)


def _last_index(values: list[str], value: str) -> int:
    return len(values) - 1 - values[::-1].index(value)


def _model_problems(instance: models.Model, where: str, exclude: list[str]) -> list[tuple[str, str]]:
    """Field-level checks (lengths, slugs, choices) from the model itself, before any write."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            (name, f"{where}: {name}: {' '.join(messages)}") for name, messages in sorted(error.message_dict.items())
        ]
    return []


def _date(raw: dict, key: str, at: Path_, problems: Problems) -> dt.date | None:
    value = raw.get(key)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.add(
            (*at, key),
            _("edition: %(key)s %(value)r is not a real date written YYYY-MM-DD") % {"key": key, "value": value},
        )
        return None


def _read_edition(data: dict, problems: Problems) -> dict[str, Any]:
    where, at = "edition", ("edition",)
    raw = data.get("edition")
    if not _check_keys(raw, _EDITION_KEYS, where, at, problems):
        return {}
    start = len(problems)
    edition = {
        "code": _text(raw, "code", where, at, problems),
        "title": _text(raw, "title", where, at, problems),
        "publisher": _text(raw, "publisher", where, at, problems, required=False) or "Home Office",
        "status": _text(raw, "status", where, at, problems, required=False) or EditionStatus.IN_FORCE,
        "isbn": _text(raw, "isbn", where, at, problems, required=False),
        "source": _text(raw, "source", where, at, problems, required=False),
        "summary": _text(raw, "summary", where, at, problems, required=False),
        "follows": _text(raw, "follows", where, at, problems, required=False),
        "effective_from": None,
    }
    if raw.get("effective_from") is not None:
        edition["effective_from"] = _date(raw, "effective_from", at, problems)
    edition["published_on"] = _date(raw, "published_on", at, problems)
    if edition["published_on"] is None:
        return edition
    if edition["status"] not in EditionStatus.values:
        problems.add(
            (*at, "status"),
            _("edition: status %(value)r is not one of %(allowed)s")
            % {"value": edition["status"], "allowed": ", ".join(EditionStatus.values)},
        )
        return edition
    if len(problems) == start:
        fields = {key: value for key, value in edition.items() if key != "follows"}
        problems.extend(at, _model_problems(Edition(**fields), where, exclude=[]))
    return edition


def _read_scale(data: dict, problems: Problems) -> tuple[list[dict[str, Any]], bool]:
    if "judgement_scale" not in data:
        return [dict(level) for level in DEFAULT_JUDGEMENT_SCALE], True
    raw = data["judgement_scale"]
    if not isinstance(raw, list) or not raw:
        problems.add(
            ("judgement_scale",), "judgement_scale must be a list of levels (leave it out to use the default scale)"
        )
        return [], False
    levels = []
    for index, item in enumerate(raw, start=1):
        at = ("judgement_scale", index - 1)
        where = f"judgement level {index}"
        if not _check_keys(item, _LEVEL_KEYS, where, at, problems):
            continue
        where = f"judgement level {item.get('code')!r}"
        start = len(problems)
        level = {
            "code": _text(item, "code", where, at, problems),
            "label": _text(item, "label", where, at, problems),
            "colour": _text(item, "colour", where, at, problems),
            "description": _text(item, "description", where, at, problems, required=False),
            "score": item.get("score"),
        }
        if level["colour"] and level["colour"] not in JudgementLevel.Tag.values:
            problems.add(
                (*at, "colour"),
                _("%(where)s: colour %(value)r is not one of %(allowed)s")
                % {"where": where, "value": level["colour"], "allowed": ", ".join(JudgementLevel.Tag.values)},
            )
        score = level["score"]
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or score < 0):
            problems.add(
                (*at, "score"),
                _("%(where)s: score must be a whole number of 0 or more, or null, not %(value)r")
                % {"where": where, "value": score},
            )
        elif len(problems) == start:
            problems.extend(at, _model_problems(JudgementLevel(**level), where, exclude=["edition"]))
        levels.append(level)
    codes = [level["code"] for level in levels]
    for code in _duplicates(codes):
        problems.add(
            ("judgement_scale", _last_index(codes, code)),
            _("judgement_scale: code %(code)r is used more than once") % {"code": code},
        )
    scores = [level["score"] for level in levels if isinstance(level["score"], int)]
    for score in sorted({s for s in scores if scores.count(s) > 1}):
        problems.add(
            ("judgement_scale",),
            _("judgement_scale: score %(score)s is used by more than one level") % {"score": score},
        )
    return levels, False


def _read_threats(data: dict, problems: Problems) -> list[dict[str, Any]]:
    threats, positions = [], []
    for index, item in enumerate(_list(data, "threats", "file", (), problems), start=1):
        at = ("threats", index - 1)
        if not _check_keys(item, _THREAT_KEYS, f"threat {index}", at, problems):
            continue
        where = f"threat {item.get('code')!r}"
        start = len(problems)
        threat = {
            "code": _text(item, "code", where, at, problems),
            "name": _text(item, "name", where, at, problems),
            "description": _text(item, "description", where, at, problems),
            "paragraph": _text(item, "paragraph", where, at, problems),
            "nsra_tier": item.get("nsra_tier"),
        }
        tier = threat["nsra_tier"]
        if tier is not None and (isinstance(tier, bool) or not isinstance(tier, int) or tier < 1):
            problems.add(
                (*at, "nsra_tier"),
                _("%(where)s: nsra_tier must be a whole number from 1, or null, not %(value)r")
                % {"where": where, "value": tier},
            )
        elif len(problems) == start:
            problems.extend(at, _model_problems(Threat(**threat), where, exclude=["edition"]))
        threats.append(threat)
        positions.append(index - 1)
    codes = [threat["code"] for threat in threats]
    for code in _duplicates(codes):
        at = ("threats", positions[_last_index(codes, code)], "code")
        problems.add(at, _("threats: code %(code)r is used more than once") % {"code": code})
    return threats


def _read_areas(data: dict, problems: Problems) -> list[dict[str, Any]]:
    areas, positions = [], []
    for index, item in enumerate(_list(data, "areas", "file", (), problems), start=1):
        at = ("areas", index - 1)
        if not _check_keys(item, _AREA_KEYS, f"area {index}", at, problems):
            continue
        where = f"area {item.get('code')!r}"
        start = len(problems)
        area = {
            "code": _text(item, "code", where, at, problems),
            "name": _text(item, "name", where, at, problems),
            "section": _text(item, "section", where, at, problems),
            "description": _text(item, "description", where, at, problems, required=False),
        }
        if len(problems) == start:
            problems.extend(at, _model_problems(Area(**area), where, exclude=["edition"]))
        areas.append(area)
        positions.append(index - 1)
    codes = [area["code"] for area in areas]
    for code in _duplicates(codes):
        problems.add(
            ("areas", positions[_last_index(codes, code)], "code"),
            _("areas: code %(code)r is used more than once") % {"code": code},
        )
    return areas


def _read_codes(item: dict, key: str, known: set[str], where: str, at: Path_, problems: Problems) -> list[str]:
    codes = _list(item, key, where, at, problems)
    kind = key.rstrip("s")
    for index, code in enumerate(codes):
        if not isinstance(code, str) or code not in known:
            problems.add(
                (*at, key, index),
                _("%(where)s: %(kind)s %(code)r is not one of this edition's %(key)s (%(known)s)")
                % {"where": where, "kind": kind, "code": code, "key": key, "known": ", ".join(sorted(known))},
            )
    for code in _duplicates([str(code) for code in codes]):
        problems.add(
            (*at, key),
            _("%(where)s: %(kind)s %(code)r is listed more than once") % {"where": where, "kind": kind, "code": code},
        )
    return [code for code in codes if isinstance(code, str)]


def _read_requirements(
    data: dict, threat_codes: set[str], area_codes: set[str], problems: Problems
) -> list[dict[str, Any]]:
    requirements, positions = [], []
    for index, item in enumerate(_list(data, "requirements", "file", (), problems), start=1):
        at = ("requirements", index - 1)
        if not _check_keys(item, _REQUIREMENT_KEYS, f"requirement {index}", at, problems):
            continue
        ref = item.get("ref")
        where = f"requirement {ref!r}" if ref else f"requirement {index}"
        start = len(problems)
        requirement = {
            "ref": _text(item, "ref", where, at, problems),
            "paragraph": _text(item, "paragraph", where, at, problems),
            "section": _text(item, "section", where, at, problems),
            "lead_in": _text(item, "lead_in", where, at, problems, required=False),
            "group_heading": _text(item, "group_heading", where, at, problems, required=False),
            "text": _text(item, "text", where, at, problems),
        }
        if len(problems) == start:
            problems.extend(at, _model_problems(Requirement(**requirement), where, exclude=["edition"]))
        requirement["areas"] = _read_codes(item, "areas", area_codes, where, at, problems)
        requirement["threats"] = _read_codes(item, "threats", threat_codes, where, at, problems)
        requirements.append(requirement)
        positions.append(index - 1)
    refs = [requirement["ref"] for requirement in requirements]
    for ref in _duplicates(refs):
        at = ("requirements", positions[_last_index(refs, ref)], "ref")
        problems.add(at, _("requirements: ref %(ref)r is used more than once") % {"ref": ref})
    return requirements


@functools.cache
def edition_schema() -> dict[str, Any]:
    """The JSON Schema of an edition file (editions/schema.json)."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _schema_problems(data: Any, problems: Problems) -> None:
    """The schema is the documented contract; the checks above give friendlier words for the same
    rules, so its own messages are added only for what they did not already catch."""
    validator = jsonschema.Draft202012Validator(edition_schema())
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        location = "/".join(str(part) for part in error.absolute_path) or "file"
        problems.add(tuple(error.absolute_path), f"{location}: {error.message}")


def _parse(text: str, name: str) -> tuple[Any, dict[Path_, int]]:
    try:
        node = yaml.compose(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise EditionFileError(
            [f"{name}: cannot be read as YAML{where}: {getattr(error, 'problem', None) or error}"],
            errors=[
                (
                    mark.line + 1 if mark is not None else None,
                    _("The file cannot be read as YAML: %(problem)s")
                    % {"problem": getattr(error, "problem", None) or error},
                )
            ],
        ) from error
    return data, _line_map(node)


def yaml_data(text: str) -> Any:
    """The data of an edition file, dates left as text (as the loader and the schema see it)."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader)


def is_reference_only(data: Any) -> bool:
    edition = data.get("edition") if isinstance(data, dict) else None
    return isinstance(edition, dict) and edition.get("status") == REFERENCE_STATUS


def edition_text_read(*, text: str, name: str, path: Path | None = None) -> EditionSpec:
    """Read and check the text of one edition file without touching the database.

    Raises EditionFileError listing every problem found, each with its line (from 1) where the file
    has one, prefixed with `name`.
    """
    data, lines = _parse(text, name)
    problems = Problems(lines)
    if not isinstance(data, dict):
        message = _("must be a YAML mapping with edition, threats, areas, requirements")
        raise EditionFileError([f"{name}: {message}"], errors=[(1, message)])
    if is_reference_only(data):
        message = _("is a reference record of an edition whose text is not in this repository, so it cannot be loaded")
        raise EditionFileError([f"{name}: {message}"], errors=[(lines.get(("edition", "status")), message)])
    _check_keys(data, _TOP_KEYS, "file", (), problems)
    edition = _read_edition(data, problems)
    scale, default_scale = _read_scale(data, problems)
    threats = _read_threats(data, problems)
    areas = _read_areas(data, problems)
    requirements = _read_requirements(data, {t["code"] for t in threats}, {a["code"] for a in areas}, problems)
    if not problems:
        _schema_problems(data, problems)
    if problems:
        errors = sorted(problems.items, key=lambda item: (item[0] is None, item[0] or 0))
        raise EditionFileError(
            [f"{name}: line {line}: {message}" if line else f"{name}: {message}" for line, message in errors],
            errors=errors,
        )
    return EditionSpec(
        path=path or Path(name),
        edition=edition,
        judgement_scale=scale,
        threats=threats,
        areas=areas,
        requirements=requirements,
        default_scale=default_scale,
    )


def edition_file_read(*, path: Path) -> EditionSpec:
    """Read and check one edition file without touching the database.

    Raises EditionFileError listing every problem found (each prefixed with the file name and line).
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EditionFileError([f"{path.name}: cannot be read: {error}"]) from error
    return edition_text_read(text=text, name=path.name, path=path)
