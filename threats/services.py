"""Writes for SPR editions: loading `editions/*.yaml` into editions, threats, areas and requirements.

An edition file is checked whole before anything is written, and every file of a load is checked
before any of them is written, all inside one transaction: a malformed file loads nothing, and the
error names the file and each problem found.

Rows are matched on edition code, then threat code, area code, judgement level code and requirement
ref within the edition, and only written when something differs, so loading the same files twice
changes no row (and no id). Rows that a file no longer lists are *kept and reported*, not deleted:
assessments may already point at them, and deleting a requirement somebody has assessed is a
decision for a person (in the admin or a data migration), not for a loader.

The loader runs as the system (from `manage.py load_editions` or deployment), so it takes no acting
user.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

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


class EditionFileError(ValueError):
    """One or more edition files are malformed; `problems` lists each one, prefixed by its file name."""

    def __init__(self, problems: list[str], *, files_checked: int = 1, files_bad: int = 1):
        self.problems = problems
        if files_checked > 1:
            headline = (
                f"Nothing was loaded: {files_bad} of {files_checked} edition files "
                f"{'is' if files_bad == 1 else 'are'} malformed."
            )
        else:
            headline = "Nothing was loaded: the edition file is malformed."
        super().__init__("\n".join([headline, *(f"  {problem}" for problem in problems)]))


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date is reported by the validator (with the
    file and key) rather than raised by PyYAML as a bare ValueError."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class EditionSpec:
    """A validated edition file, ready to write."""

    path: Path
    edition: dict[str, Any]
    judgement_scale: list[dict[str, Any]]
    threats: list[dict[str, Any]]
    areas: list[dict[str, Any]]
    requirements: list[dict[str, Any]]
    default_scale: bool = False


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stale: list[str] = field(default_factory=list)

    def add(self, status: str) -> None:
        setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class EditionLoadResult:
    """What one file did: per kind of row, how many were created, updated or unchanged, and the
    codes/refs present in the database but no longer in the file (kept, see the module docstring)."""

    code: str
    path: Path
    edition: str  # "created", "updated" or "unchanged"
    judgement_levels: Tally
    threats: Tally
    areas: Tally
    requirements: Tally
    default_scale: bool = False

    @property
    def changed(self) -> bool:
        tallies = (self.judgement_levels, self.threats, self.areas, self.requirements)
        return self.edition != "unchanged" or any(t.created or t.updated for t in tallies)


# --------------------------------------------------------------------------------------------- reading


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


# --------------------------------------------------------------------------------------------- writing


def _upsert(model, existing: dict[str, models.Model], key: str, values: dict[str, Any], **fixed):
    """Create the row, or update it only where a value differs. Returns (row, status)."""
    row = existing.get(values[key])
    if row is None:
        return model.objects.create(**fixed, **values), "created"
    changed = [name for name, value in values.items() if getattr(row, name) != value]
    if not changed:
        return row, "unchanged"
    for name in changed:
        setattr(row, name, values[name])
    row.save(update_fields=changed)
    return row, "updated"


def _set_m2m(manager, wanted: list[models.Model], current_ids: set[int]) -> bool:
    wanted_ids = {row.pk for row in wanted}
    if wanted_ids == current_ids:
        return False
    manager.set(wanted)
    return True


def _write(spec: EditionSpec) -> EditionLoadResult:
    values = dict(spec.edition)
    code = values["code"]
    edition = Edition.objects.filter(code=code).first()
    edition, edition_status = _upsert(Edition, {code: edition} if edition else {}, "code", values)

    levels = Tally()
    existing_levels = {level.code: level for level in edition.judgement_levels.all()}
    for position, level in enumerate(spec.judgement_scale):
        _, status = _upsert(JudgementLevel, existing_levels, "code", {**level, "position": position}, edition=edition)
        levels.add(status)
    levels.stale = sorted(existing_levels.keys() - {level["code"] for level in spec.judgement_scale})

    threats, threat_rows = Tally(), {}
    existing_threats = {threat.code: threat for threat in edition.threats.all()}
    for position, item in enumerate(spec.threats):
        row, status = _upsert(Threat, existing_threats, "code", {**item, "position": position}, edition=edition)
        threat_rows[row.code] = row
        threats.add(status)
    threats.stale = sorted(existing_threats.keys() - threat_rows.keys())

    areas, area_rows = Tally(), {}
    existing_areas = {area.code: area for area in edition.areas.all()}
    for position, item in enumerate(spec.areas):
        row, status = _upsert(Area, existing_areas, "code", {**item, "position": position}, edition=edition)
        area_rows[row.code] = row
        areas.add(status)
    areas.stale = sorted(existing_areas.keys() - area_rows.keys())

    requirements, seen = Tally(), set()
    existing = {
        row.ref: row for row in Requirement.objects.filter(edition=edition).prefetch_related("areas", "threats")
    }
    for position, item in enumerate(spec.requirements):
        values = {k: v for k, v in item.items() if k not in {"areas", "threats"}}
        before = existing.get(item["ref"])
        current_areas = {a.pk for a in before.areas.all()} if before else set()
        current_threats = {t.pk for t in before.threats.all()} if before else set()
        row, status = _upsert(Requirement, existing, "ref", {**values, "position": position}, edition=edition)
        areas_changed = _set_m2m(row.areas, [area_rows[c] for c in item["areas"]], current_areas)
        threats_changed = _set_m2m(row.threats, [threat_rows[c] for c in item["threats"]], current_threats)
        if status == "unchanged" and (areas_changed or threats_changed):
            status = "updated"
        requirements.add(status)
        seen.add(row.ref)
    requirements.stale = sorted(existing.keys() - seen)

    return EditionLoadResult(
        code=code,
        path=spec.path,
        edition=edition_status,
        judgement_levels=levels,
        threats=threats,
        areas=areas,
        requirements=requirements,
        default_scale=spec.default_scale,
    )


def edition_load_file(*, path: Path) -> EditionLoadResult:
    """Check one edition file whole, then load it in one transaction; idempotent.

    Raises EditionFileError (naming the file and every problem) before writing anything.
    """
    spec = edition_file_read(path=path)
    with transaction.atomic():
        return _write(spec)


def editions_load(*, directory: Path | None = None) -> list[EditionLoadResult]:
    """Load every `*.yaml` in `directory` (default settings.SPR_EDITIONS_DIR); idempotent.

    Every file is checked before any is written, and all are written in one transaction: if one
    file is malformed, or two files claim the same edition code, nothing at all is loaded and
    EditionFileError lists every problem in every file.
    """
    directory = Path(directory or settings.SPR_EDITIONS_DIR)
    if not directory.is_dir():
        raise EditionFileError([f"{directory}: is not a directory"])
    paths = sorted(directory.glob("*.yaml"))
    if not paths:
        raise EditionFileError([f"{directory}: holds no edition files (*.yaml)"])

    specs, problems, bad_files = [], [], 0
    for path in paths:
        try:
            specs.append(edition_file_read(path=path))
        except EditionFileError as error:
            problems.extend(error.problems)
            bad_files += 1
    by_code: dict[str, list[str]] = {}
    for spec in specs:
        by_code.setdefault(spec.edition["code"], []).append(spec.path.name)
    for code, names in sorted(by_code.items()):
        if len(names) > 1:
            problems.append(f"{' and '.join(names)}: both define edition {code!r}")
            bad_files += len(names)
    if problems:
        raise EditionFileError(problems, files_checked=len(paths), files_bad=min(bad_files, len(paths)))

    with transaction.atomic():
        return [_write(spec) for spec in specs]
