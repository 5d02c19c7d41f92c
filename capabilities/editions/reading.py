"""Reading edition files: parsing `editions/*.yaml` and checking each one whole, without touching the
database. Every problem in a file is collected (keys missing or unknown, text that is not text, dates,
scores, duplicate codes, references to threats and areas the file does not define, and the models'
own field checks) and raised together as one `EditionFileError`, each prefixed with the file name.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models

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
_EDITION_KEYS = ({"code", "title", "published_on"}, {"publisher", "status", "isbn", "source", "summary"})
_LEVEL_KEYS = ({"code", "label", "colour"}, {"score", "description"})
_THREAT_KEYS = ({"code", "name", "description", "paragraph"}, {"nsra_tier"})
_AREA_KEYS = ({"code", "name", "section"}, {"description"})
_REQUIREMENT_KEYS = ({"ref", "paragraph", "section", "text", "areas", "threats"}, {"lead_in", "group_heading"})


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported by the validator (with the
    file and key) rather than raised by PyYAML as a bare ValueError."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_keys(item: Any, keys: tuple[set[str], set[str]], where: str, problems: list[str]) -> bool:
    required, optional = keys
    if not isinstance(item, dict):
        problems.append(f"{where} must be a mapping of keys to values")
        return False
    missing = sorted(required - item.keys())
    unknown = sorted(item.keys() - required - optional)
    if missing:
        problems.append(f"{where} is missing {', '.join(missing)}")
    if unknown:
        problems.append(f"{where} has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    return not missing


def _text(item: dict, key: str, where: str, problems: list[str], *, required: bool = True) -> str:
    """Text values are stripped of surrounding whitespace only; anything else is kept exactly."""
    value = item.get(key)
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(f'{where}: {key} must be text (put numbers such as "3.3" in quotes), not {value!r}')
        return ""
    value = value.strip()
    if required and not value:
        problems.append(f"{where}: {key} is empty")
    return value


def _list(item: dict, key: str, where: str, problems: list[str]) -> list:
    if key not in item:
        return []  # already reported as missing by _check_keys
    value = item[key]
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: {key} must be a list with at least one entry")
        return []
    return value


def _duplicates(values: list[str]) -> list[str]:
    return sorted(value for value, count in Counter(values).items() if count > 1 and value)


def _model_problems(instance: models.Model, where: str, exclude: list[str]) -> list[str]:
    """Field-level checks (lengths, slugs, choices) from the model itself, before any write."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [f"{where}: {name}: {' '.join(messages)}" for name, messages in sorted(error.message_dict.items())]
    return []


def _read_edition(data: dict, problems: list[str]) -> dict[str, Any]:
    where = "edition"
    raw = data.get("edition")
    if not _check_keys(raw, _EDITION_KEYS, where, problems):
        return {}
    start = len(problems)
    edition = {
        "code": _text(raw, "code", where, problems),
        "title": _text(raw, "title", where, problems),
        "publisher": _text(raw, "publisher", where, problems, required=False) or "Home Office",
        "status": _text(raw, "status", where, problems, required=False) or EditionStatus.IN_FORCE,
        "isbn": _text(raw, "isbn", where, problems, required=False),
        "source": _text(raw, "source", where, problems, required=False),
        "summary": _text(raw, "summary", where, problems, required=False),
    }
    published_on = raw.get("published_on")
    try:
        edition["published_on"] = dt.date.fromisoformat(str(published_on))
    except ValueError:
        problems.append(f"edition: published_on {published_on!r} is not a real date written YYYY-MM-DD")
        return edition
    if edition["status"] not in EditionStatus.values:
        problems.append(f"edition: status {edition['status']!r} is not one of {', '.join(EditionStatus.values)}")
        return edition
    if len(problems) == start:
        problems.extend(_model_problems(Edition(**edition), where, exclude=[]))
    return edition


def _read_scale(data: dict, problems: list[str]) -> tuple[list[dict[str, Any]], bool]:
    if "judgement_scale" not in data:
        return [dict(level) for level in DEFAULT_JUDGEMENT_SCALE], True
    raw = data["judgement_scale"]
    if not isinstance(raw, list) or not raw:
        problems.append("judgement_scale must be a list of levels (leave it out to use the default scale)")
        return [], False
    levels = []
    for index, item in enumerate(raw, start=1):
        where = f"judgement level {index}"
        if not _check_keys(item, _LEVEL_KEYS, where, problems):
            continue
        where = f"judgement level {item.get('code')!r}"
        start = len(problems)
        level = {
            "code": _text(item, "code", where, problems),
            "label": _text(item, "label", where, problems),
            "colour": _text(item, "colour", where, problems),
            "description": _text(item, "description", where, problems, required=False),
            "score": item.get("score"),
        }
        if level["colour"] and level["colour"] not in JudgementLevel.Tag.values:
            problems.append(f"{where}: colour {level['colour']!r} is not one of {', '.join(JudgementLevel.Tag.values)}")
        score = level["score"]
        if score is not None and (isinstance(score, bool) or not isinstance(score, int) or score < 0):
            problems.append(f"{where}: score must be a whole number of 0 or more, or null, not {score!r}")
        elif len(problems) == start:
            problems.extend(_model_problems(JudgementLevel(**level), where, exclude=["edition"]))
        levels.append(level)
    for code in _duplicates([level["code"] for level in levels]):
        problems.append(f"judgement_scale: code {code!r} is used more than once")
    scores = [level["score"] for level in levels if isinstance(level["score"], int)]
    for score in sorted({s for s in scores if scores.count(s) > 1}):
        problems.append(f"judgement_scale: score {score} is used by more than one level")
    return levels, False


def _read_threats(data: dict, problems: list[str]) -> list[dict[str, Any]]:
    threats = []
    for index, item in enumerate(_list(data, "threats", "file", problems), start=1):
        if not _check_keys(item, _THREAT_KEYS, f"threat {index}", problems):
            continue
        where = f"threat {item.get('code')!r}"
        start = len(problems)
        threat = {
            "code": _text(item, "code", where, problems),
            "name": _text(item, "name", where, problems),
            "description": _text(item, "description", where, problems),
            "paragraph": _text(item, "paragraph", where, problems),
            "nsra_tier": item.get("nsra_tier"),
        }
        tier = threat["nsra_tier"]
        if tier is not None and (isinstance(tier, bool) or not isinstance(tier, int) or tier < 1):
            problems.append(f"{where}: nsra_tier must be a whole number from 1, or null, not {tier!r}")
        elif len(problems) == start:
            problems.extend(_model_problems(Threat(**threat), where, exclude=["edition"]))
        threats.append(threat)
    for code in _duplicates([threat["code"] for threat in threats]):
        problems.append(f"threats: code {code!r} is used more than once")
    return threats


def _read_areas(data: dict, problems: list[str]) -> list[dict[str, Any]]:
    areas = []
    for index, item in enumerate(_list(data, "areas", "file", problems), start=1):
        if not _check_keys(item, _AREA_KEYS, f"area {index}", problems):
            continue
        where = f"area {item.get('code')!r}"
        start = len(problems)
        area = {
            "code": _text(item, "code", where, problems),
            "name": _text(item, "name", where, problems),
            "section": _text(item, "section", where, problems),
            "description": _text(item, "description", where, problems, required=False),
        }
        if len(problems) == start:
            problems.extend(_model_problems(Area(**area), where, exclude=["edition"]))
        areas.append(area)
    for code in _duplicates([area["code"] for area in areas]):
        problems.append(f"areas: code {code!r} is used more than once")
    return areas


def _read_codes(item: dict, key: str, known: set[str], where: str, problems: list[str]) -> list[str]:
    codes = _list(item, key, where, problems)
    kind = key.rstrip("s")
    for code in codes:
        if not isinstance(code, str) or code not in known:
            problems.append(f"{where}: {kind} {code!r} is not one of this edition's {key} ({', '.join(sorted(known))})")
    for code in _duplicates([str(code) for code in codes]):
        problems.append(f"{where}: {kind} {code!r} is listed more than once")
    return [code for code in codes if isinstance(code, str)]


def _read_requirements(
    data: dict, threat_codes: set[str], area_codes: set[str], problems: list[str]
) -> list[dict[str, Any]]:
    requirements = []
    for index, item in enumerate(_list(data, "requirements", "file", problems), start=1):
        if not _check_keys(item, _REQUIREMENT_KEYS, f"requirement {index}", problems):
            continue
        ref = item.get("ref")
        where = f"requirement {ref!r}" if ref else f"requirement {index}"
        start = len(problems)
        requirement = {
            "ref": _text(item, "ref", where, problems),
            "paragraph": _text(item, "paragraph", where, problems),
            "section": _text(item, "section", where, problems),
            "lead_in": _text(item, "lead_in", where, problems, required=False),
            "group_heading": _text(item, "group_heading", where, problems, required=False),
            "text": _text(item, "text", where, problems),
        }
        if len(problems) == start:
            problems.extend(_model_problems(Requirement(**requirement), where, exclude=["edition"]))
        requirement["areas"] = _read_codes(item, "areas", area_codes, where, problems)
        requirement["threats"] = _read_codes(item, "threats", threat_codes, where, problems)
        requirements.append(requirement)
    for ref in _duplicates([requirement["ref"] for requirement in requirements]):
        problems.append(f"requirements: ref {ref!r} is used more than once")
    return requirements


def edition_file_read(*, path: Path) -> EditionSpec:
    """Read and check one edition file without touching the database.

    Raises EditionFileError listing every problem found (each prefixed with the file name).
    """
    path = Path(path)
    problems: list[str] = []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 (a SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise EditionFileError([f"{path.name}: cannot be read: {error}"]) from error
    if not isinstance(data, dict):
        raise EditionFileError([f"{path.name}: must be a YAML mapping with edition, threats, areas, requirements"])
    _check_keys(data, _TOP_KEYS, "file", problems)
    edition = _read_edition(data, problems)
    scale, default_scale = _read_scale(data, problems)
    threats = _read_threats(data, problems)
    areas = _read_areas(data, problems)
    requirements = _read_requirements(data, {t["code"] for t in threats}, {a["code"] for a in areas}, problems)
    if problems:
        raise EditionFileError([f"{path.name}: {problem}" for problem in problems])
    return EditionSpec(
        path=path,
        edition=edition,
        judgement_scale=scale,
        threats=threats,
        areas=areas,
        requirements=requirements,
        default_scale=default_scale,
    )
