"""Writing edition files: loading one file, or every file in a directory, inside one transaction once
each has been read and checked. Rows are matched on their codes and refs and written only where
something differs, so a second load changes nothing; rows a file no longer lists are kept and
reported as stale in the `EditionLoadResult`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db import models, transaction

from capabilities.editions.common import EditionFileError, EditionLoadResult, EditionSpec, Tally
from capabilities.editions.reading import edition_file_read, is_reference_only
from capabilities.models import Area, Requirement
from threats.models import Edition, JudgementLevel, Threat


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


LIFECYCLE_FIELDS = ("status", "follows", "effective_from")


def _follows(spec: EditionSpec) -> Edition | None:
    code = spec.edition.get("follows")
    if not code:
        return None
    edition = Edition.objects.filter(code=code).first()
    if edition is None:
        raise EditionFileError([f"{spec.path.name}: edition: follows {code!r}, which is not a loaded edition"])
    return edition


def _write(spec: EditionSpec) -> EditionLoadResult:
    values = dict(spec.edition)
    values["follows"] = _follows(spec)
    code = values["code"]
    edition = Edition.objects.filter(code=code).first()
    if edition is not None:
        # Where an edition stands (in force, superseded, from when, after which) is set by the file
        # once, then by publishing (capabilities.editions.mapping): reloading the files on deployment
        # must not put a superseded edition back in force.
        for name in LIFECYCLE_FIELDS:
            values.pop(name, None)
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


def is_reference_file(path: Path) -> bool:
    """A reference record (`status: reference`, docs/editions.md) is skipped, not loaded."""
    try:
        return is_reference_only(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader))  # noqa: S506
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return False  # reported by edition_file_read


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
    paths = [path for path in sorted(directory.glob("*.yaml")) if not is_reference_file(path)]
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
