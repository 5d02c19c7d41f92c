"""The mapping between an edition and the one it follows, and publishing an edition.

For each requirement (and threat) of the new edition a national administrator says which of the
previous edition's it continues: one (the same requirement, perhaps reworded), several (merged), or
none (new); and whether it means the same, so a force's judgement may carry over. Every previous
requirement is either continued or retired. Suggestions come from text similarity; only the
administrator's confirmation is stored.

A draft is published once its mapping is complete, with the date it applies from; a published
edition and its mapping never change again.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from capabilities.models import Requirement, RequirementMapping, RetiredRequirement
from capabilities.permissions import can_manage_editions
from core.audit import audit_record
from core.exceptions import Conflict
from core.models import AuditEntry
from threats.models import Edition, EditionStatus, RetiredThreat, Threat, ThreatMapping


@dataclass(frozen=True)
class Kind:
    """What differs between mapping requirements and mapping threats."""

    noun: str
    plural: str
    model: type[models.Model]
    mapping: type[models.Model]
    retired: type[models.Model]
    key: str  # the field naming one within its edition: "ref" or "code"
    link: str  # the mapping's and the retirement's field naming it: "requirement" or "threat"
    wording: Callable[[Any], str]


REQUIREMENTS = Kind(
    "requirement", "requirements", Requirement, RequirementMapping, RetiredRequirement, "ref", "requirement",
    lambda row: row.text,
)  # fmt: skip
THREATS = Kind(
    "threat", "threats", Threat, ThreatMapping, RetiredThreat, "code", "threat",
    lambda row: f"{row.name}. {row.description}",
)  # fmt: skip
KINDS = (REQUIREMENTS, THREATS)


@dataclass
class MappingRow:
    """One item of the new edition, with the previous items it continues (if mapped)."""

    item: Any
    mapping: Any | None
    previous: list = field(default_factory=list)

    @property
    def is_mapped(self) -> bool:
        return self.mapping is not None

    @property
    def is_new(self) -> bool:
        return self.mapping is not None and not self.previous


@dataclass
class KindMapping:
    kind: Kind
    rows: list[MappingRow]
    old: list
    retired_ids: set[int]
    continued_ids: set[int]

    @property
    def unaccounted_old(self) -> list:
        """Previous items neither continued nor retired."""
        return [row for row in self.old if row.pk not in self.continued_ids and row.pk not in self.retired_ids]

    @property
    def retired(self) -> list:
        return [row for row in self.old if row.pk in self.retired_ids]

    @property
    def mapped_count(self) -> int:
        return sum(1 for row in self.rows if row.is_mapped)

    def problems(self, previous: Edition) -> list[str]:
        noun, found = self.kind.noun.capitalize(), []
        for row in self.rows:
            if not row.is_mapped:
                found.append(
                    _(
                        "%(noun)s %(key)s is not mapped: choose the %(plural)s of %(previous)s it continues, "
                        "or confirm it is new"
                    )
                    % {
                        "noun": noun,
                        "key": getattr(row.item, self.kind.key),
                        "plural": self.kind.plural,
                        "previous": previous.code,
                    }
                )
        for row in self.old:
            key = getattr(row, self.kind.key)
            if row.pk in self.continued_ids and row.pk in self.retired_ids:
                found.append(
                    _("%(noun)s %(key)s of %(previous)s is both continued and retired")
                    % {"noun": noun, "key": key, "previous": previous.code}
                )
            elif row.pk not in self.continued_ids and row.pk not in self.retired_ids:
                found.append(
                    _("%(noun)s %(key)s of %(previous)s is neither continued nor retired")
                    % {"noun": noun, "key": key, "previous": previous.code}
                )
        return found


@dataclass
class EditionMapping:
    edition: Edition
    previous: Edition | None
    requirements: KindMapping | None
    threats: KindMapping | None

    @property
    def problems(self) -> list[str]:
        if self.previous is None:
            return []
        return [*self.threats.problems(self.previous), *self.requirements.problems(self.previous)]

    @property
    def complete(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        data: dict[str, Any] = {"follows": self.previous.code if self.previous else None}
        for part in (self.threats, self.requirements):
            if part is None:
                continue
            key = part.kind.key
            data[part.kind.plural] = [
                {
                    key: getattr(row.item, key),
                    "previous": [getattr(old, key) for old in row.previous],
                    "same_meaning": row.mapping.same_meaning,
                }
                for row in part.rows
                if row.is_mapped
            ]
            data[f"retired_{part.kind.plural}"] = [getattr(row, key) for row in part.retired]
        data["complete"] = self.complete
        data["problems"] = self.problems
        return data


def _kind_mapping(kind: Kind, edition: Edition, previous: Edition) -> KindMapping:
    items = list(kind.model.objects.filter(edition=edition).order_by("position"))
    mappings = {
        getattr(mapping, f"{kind.link}_id"): mapping
        for mapping in kind.mapping.objects.filter(**{f"{kind.link}__edition": edition}).prefetch_related(
            models.Prefetch("previous", queryset=kind.model.objects.order_by("position"))
        )
    }
    old = list(kind.model.objects.filter(edition=previous).order_by("position"))
    rows, continued = [], set()
    for item in items:
        mapping = mappings.get(item.pk)
        previous_items = list(mapping.previous.all()) if mapping else []
        continued.update(row.pk for row in previous_items)
        rows.append(MappingRow(item=item, mapping=mapping, previous=previous_items))
    retired = set(kind.retired.objects.filter(edition=edition).values_list(f"{kind.link}_id", flat=True))
    return KindMapping(kind=kind, rows=rows, old=old, retired_ids=retired, continued_ids=continued)


def edition_mapping(*, edition: Edition) -> EditionMapping:
    """The edition's mapping to the one it follows, with what is still missing. A fixed number of
    queries (eleven) however many requirements either edition has."""
    previous = edition.follows
    if previous is None:
        return EditionMapping(edition=edition, previous=None, requirements=None, threats=None)
    return EditionMapping(
        edition=edition,
        previous=previous,
        requirements=_kind_mapping(REQUIREMENTS, edition, previous),
        threats=_kind_mapping(THREATS, edition, previous),
    )


def suggestions(*, kind: Kind, item, candidates: Iterable, limit: int = 3, cutoff: float = 0.6) -> list:
    """The previous items whose words are most like `item`'s (difflib's ratio), best first: a
    suggestion for the administrator to confirm, never stored on its own."""
    wording = kind.wording(item)
    scored = []
    for candidate in candidates:
        matcher = difflib.SequenceMatcher(a=wording, b=kind.wording(candidate), autojunk=False)
        if matcher.real_quick_ratio() >= cutoff and matcher.quick_ratio() >= cutoff:
            score = matcher.ratio()
            if getattr(candidate, kind.key) == getattr(item, kind.key):
                score += 0.1
            if score >= cutoff:
                scored.append((score, candidate))
    scored.sort(key=lambda pair: -pair[0])
    return [candidate for _, candidate in scored[:limit]]


# --- Writes -------------------------------------------------------------------------------------------


def _lock_draft(user, edition: Edition) -> Edition:
    if not can_manage_editions(user):
        raise PermissionDenied("Only a national administrator can change an edition")
    locked = Edition.objects.select_for_update(of=("self",)).select_related("follows").get(pk=edition.pk)
    if not locked.is_draft:
        raise Conflict(
            _(
                "%(title)s (%(code)s) is published, so it and its mapping cannot be changed. "
                "Upload a correction as a new version."
            )
            % {"title": locked.title, "code": locked.code}
        )
    if locked.follows is None:
        raise Conflict(_("%(code)s follows no edition, so there is nothing to map") % {"code": locked.code})
    return locked


def _write_one(kind: Kind, edition: Edition, item, previous: list, same_meaning: bool) -> None:
    mapping, _ = kind.mapping.objects.get_or_create(**{kind.link: item})
    mapping.same_meaning = same_meaning
    mapping.full_clean()
    mapping.save()
    mapping.previous.set(previous)
    kind.retired.objects.filter(edition=edition, **{f"{kind.link}__in": previous}).delete()


@transaction.atomic
def item_mapping_save(*, user, kind: Kind, edition: Edition, item, previous: list, same_meaning: bool) -> None:
    """Confirm what one requirement (or threat) of a draft continues: `previous` items of the edition
    it follows (none: it is new). A previous item it continues is no longer retired. Audited."""
    edition = _lock_draft(user, edition)
    if item.edition_id != edition.pk:
        raise ValidationError({kind.link: f"That {kind.noun} is not part of {edition.code}"})
    if any(row.edition_id != edition.follows_id for row in previous):
        raise ValidationError(
            {"previous": _("Choose %(plural)s of %(code)s") % {"plural": kind.plural, "code": edition.follows.code}}
        )
    if same_meaning and not previous:
        raise ValidationError(
            {"same_meaning": _("A new %(noun)s cannot mean the same as an earlier one") % {"noun": kind.noun}}
        )
    _write_one(kind, edition, item, previous, same_meaning)
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=edition,
        changes={f"mapping of {getattr(item, kind.key)}": [None, [getattr(r, kind.key) for r in previous]]},
    )


@transaction.atomic
def retirements_save(*, user, kind: Kind, edition: Edition, retired: list) -> None:
    """Say which items of the previous edition the draft retires (replacing the earlier choice).
    An item a new one continues cannot be retired. Audited."""
    edition = _lock_draft(user, edition)
    state = _kind_mapping(kind, edition, edition.follows)
    wrong = [getattr(row, kind.key) for row in retired if row.edition_id != edition.follows_id]
    if wrong:
        raise ValidationError(
            {"retired": _("Choose %(plural)s of %(code)s") % {"plural": kind.plural, "code": edition.follows.code}}
        )
    continued = [getattr(row, kind.key) for row in retired if row.pk in state.continued_ids]
    if continued:
        raise ValidationError(
            {
                "retired": _("%(keys)s cannot be retired: a %(noun)s of %(code)s continues it")
                % {"keys": ", ".join(continued), "noun": kind.noun, "code": edition.code}
            }
        )
    kind.retired.objects.filter(edition=edition).delete()
    kind.retired.objects.bulk_create([kind.retired(edition=edition, **{kind.link: row}) for row in retired])
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=edition,
        changes={f"retired {kind.plural}": [None, [getattr(row, kind.key) for row in retired]]},
    )


def _parse_kind(kind: Kind, data: dict, edition: Edition, problems: list[str]) -> tuple[list, list]:
    """Check one kind's part of a whole mapping; returns (entries, retired) ready to write."""
    new = {getattr(row, kind.key): row for row in kind.model.objects.filter(edition=edition)}
    old = {getattr(row, kind.key): row for row in kind.model.objects.filter(edition=edition.follows)}
    key, entries, seen = kind.key, [], set()
    raw = data.get(kind.plural, [])
    if not isinstance(raw, list):
        problems.append(f"{kind.plural} must be a list")
        raw = []
    for index, entry in enumerate(raw, start=1):
        where = f"{kind.plural} entry {index}"
        if not isinstance(entry, dict):
            problems.append(f"{where} must be a mapping with {key}, previous and same_meaning")
            continue
        unknown = sorted(set(entry) - {key, "previous", "same_meaning"})
        if unknown:
            problems.append(f"{where} has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
        value = entry.get(key)
        item = new.get(value) if isinstance(value, str) else None
        if item is None:
            problems.append(f"{where}: {key} {value!r} is not a {kind.noun} of {edition.code}")
            continue
        where = f"{kind.noun.capitalize()} {value}"
        if value in seen:
            problems.append(f"{where} is mapped more than once")
        seen.add(value)
        previous_keys = entry.get("previous", [])
        if not isinstance(previous_keys, list):
            problems.append(f"{where}: previous must be a list (empty for a new {kind.noun})")
            previous_keys = []
        previous = []
        for old_key in previous_keys:
            if not isinstance(old_key, str) or old_key not in old:
                problems.append(f"{where}: {old_key!r} is not a {kind.noun} of {edition.follows.code}")
            else:
                previous.append(old[old_key])
        same_meaning = entry.get("same_meaning", False)
        if not isinstance(same_meaning, bool):
            problems.append(f"{where}: same_meaning must be true or false")
            same_meaning = False
        if same_meaning and not previous_keys:
            problems.append(f"{where}: a new {kind.noun} cannot mean the same as an earlier one")
        entries.append((item, previous, same_meaning))
    retired = []
    raw_retired = data.get(f"retired_{kind.plural}", [])
    if not isinstance(raw_retired, list):
        problems.append(f"retired_{kind.plural} must be a list")
        raw_retired = []
    for old_key in raw_retired:
        if not isinstance(old_key, str) or old_key not in old:
            problems.append(f"retired_{kind.plural}: {old_key!r} is not a {kind.noun} of {edition.follows.code}")
        else:
            retired.append(old[old_key])
    # Completeness: every new item accounted for, every old one continued or retired (not both).
    for value in new:
        if value not in seen:
            problems.append(
                _(
                    "%(noun)s %(key)s is not mapped: list the %(plural)s of %(previous)s it continues, "
                    "or an empty list if it is new"
                )
                % {
                    "noun": kind.noun.capitalize(),
                    "key": value,
                    "plural": kind.plural,
                    "previous": edition.follows.code,
                }
            )
    continued = {row.pk for _, previous, _ in entries for row in previous}
    retired_ids = {row.pk for row in retired}
    for value, row in old.items():
        if row.pk in continued and row.pk in retired_ids:
            problems.append(
                _("%(noun)s %(key)s of %(previous)s is both continued and retired")
                % {"noun": kind.noun.capitalize(), "key": value, "previous": edition.follows.code}
            )
        elif row.pk not in continued and row.pk not in retired_ids:
            problems.append(
                _("%(noun)s %(key)s of %(previous)s is neither continued nor retired")
                % {"noun": kind.noun.capitalize(), "key": value, "previous": edition.follows.code}
            )
    return entries, retired


@transaction.atomic
def edition_mapping_replace(*, user, edition: Edition, data: Any) -> EditionMapping:
    """Replace a draft's whole mapping (from the API or an uploaded mapping file). The mapping must
    be complete: every new requirement and threat accounted for, every previous one continued or
    retired. Raises ValidationError listing every problem, having written nothing."""
    edition = _lock_draft(user, edition)
    problems: list[str] = []
    if not isinstance(data, dict):
        raise ValidationError(["The mapping must be an object with requirements and threats"])
    unknown = sorted(set(data) - {"requirements", "threats", "retired_requirements", "retired_threats"})
    if unknown:
        problems.append(f"The mapping has unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}")
    parsed = {kind.noun: _parse_kind(kind, data, edition, problems) for kind in KINDS}
    if problems:
        raise ValidationError(problems)
    for kind in KINDS:
        entries, retired = parsed[kind.noun]
        kind.mapping.objects.filter(**{f"{kind.link}__edition": edition}).delete()
        kind.retired.objects.filter(edition=edition).delete()
        for item, previous, same_meaning in entries:
            _write_one(kind, edition, item, previous, same_meaning)
        kind.retired.objects.bulk_create([kind.retired(edition=edition, **{kind.link: row}) for row in retired])
    audit_record(
        actor=user, action=AuditEntry.Action.CHANGED, instance=edition, changes={"mapping": [None, "replaced"]}
    )
    return edition_mapping(edition=edition)


@transaction.atomic
def edition_publish(*, user, edition: Edition, effective_from: dt.date) -> Edition:
    """Publish a draft from `effective_from`: forces see it, periods starting on or after that day
    use it, and it and its mapping never change again. The edition it follows is superseded.

    Raises PermissionDenied, Conflict (already published, or the mapping is incomplete: `details`
    lists every gap) or ValidationError (no date, or one before the previous edition applies).
    """
    if not can_manage_editions(user):
        raise PermissionDenied("Only a national administrator can publish an edition")
    locked = Edition.objects.select_for_update(of=("self",)).select_related("follows").get(pk=edition.pk)
    if not locked.is_draft:
        raise Conflict(_("%(code)s is already published") % {"code": locked.code})
    if not isinstance(effective_from, dt.date):
        raise ValidationError({"effective_from": _("Enter the date the edition applies from")})
    previous = locked.follows
    if previous is not None and effective_from <= previous.applies_from:
        raise ValidationError(
            {
                "effective_from": _("The date must be after %(date)s, when %(code)s applies")
                % {"date": f"{previous.applies_from:%-d %B %Y}", "code": previous.code}
            }
        )
    problems = edition_mapping(edition=locked).problems
    if problems:
        raise Conflict(_("The mapping is incomplete, so the edition cannot be published"), details=problems)
    locked.status = EditionStatus.IN_FORCE
    locked.effective_from = effective_from
    locked.full_clean()
    locked.save(update_fields=["status", "effective_from"])
    audit_record(
        actor=user,
        action=AuditEntry.Action.CHANGED,
        instance=locked,
        changes={"status": [EditionStatus.DRAFT, locked.status], "effective_from": [None, effective_from]},
    )
    if previous is not None and previous.status == EditionStatus.IN_FORCE:
        previous.status = EditionStatus.SUPERSEDED
        previous.save(update_fields=["status"])
        audit_record(
            actor=user,
            action=AuditEntry.Action.CHANGED,
            instance=previous,
            changes={"status": [EditionStatus.IN_FORCE, EditionStatus.SUPERSEDED]},
        )
    return locked


def edition_in_force(*, on: dt.date) -> Edition | None:
    """The edition that applies on a day: the latest published edition whose effective date (or,
    without one, publication date) is on or before it."""
    candidates = [
        edition
        for edition in Edition.objects.published().only("id", "code", "effective_from", "published_on", "title")
        if edition.applies_from <= on
    ]
    return max(candidates, key=lambda edition: (edition.applies_from, edition.published_on), default=None)
