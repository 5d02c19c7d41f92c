"""An edition's structure read once per process: its threats, its areas, which threats and areas each
requirement serves and its judgement scale.

Every page that draws a task list, a heat map or a trend needs them, and a published edition does not
change (a correction is a new edition, see docs/editions.md): reading them on every request cost five
queries a page (the response page reads its scale and its refs in order too).
`edition_structure(edition)` answers them with no query once an edition in force or superseded has
been read; a draft edition is still being written, so it is read afresh every time.

Any save or deletion of an edition, threat, area, requirement or level, and any change to a
requirement's threats or areas, empties the cache (`forget_structures`, wired in `capabilities.apps`),
so a change made in this process is seen at once. A published edition changed by another process
(`manage.py load_editions` correcting a typo) is seen by a web worker after its restart, as a deploy
does; nothing in the product changes a published edition's structure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from capabilities.models import Area, Requirement
from threats.models import Edition, EditionStatus, JudgementLevel, Threat


@dataclass(frozen=True)
class EditionStructure:
    threats: tuple[Threat, ...]  # in the edition's order
    areas: tuple[Area, ...]
    threats_of: dict[int, tuple[int, ...]]  # requirement id -> ids of the threats it serves
    areas_of: dict[int, tuple[int, ...]]  # requirement id -> ids of the areas it sits in
    levels: dict[int, JudgementLevel]  # the judgement scale by level id
    scale: tuple[JudgementLevel, ...] = ()  # the same levels in the scale's order
    refs: tuple[str, ...] = ()  # every requirement's ref, in the edition's order


_cache: dict[int, EditionStructure] = {}
_lock = threading.Lock()
#: Called with no argument whenever the cache is emptied, by caches built on top of this one
#: (assessments.matrix keeps the layouts it builds from a structure).
_listeners: list[Callable[[], None]] = []


def _links(through, column: str, edition_id: int) -> dict[int, tuple[int, ...]]:
    """Requirement id -> the ids in `column` of its rows in `through` (one query), in id order."""
    linked: dict[int, list[int]] = {}
    for requirement_id, other_id in (
        through.objects.filter(requirement__edition_id=edition_id)
        .values_list("requirement_id", column)
        .order_by("requirement_id", column)
    ):
        linked.setdefault(requirement_id, []).append(other_id)
    return {rid: tuple(ids) for rid, ids in linked.items()}


def _read(edition_id: int) -> EditionStructure:
    """Six queries, whatever the size of the edition."""
    scale = tuple(JudgementLevel.objects.filter(edition_id=edition_id).order_by("position", "id"))
    return EditionStructure(
        threats=tuple(Threat.objects.filter(edition_id=edition_id).order_by("position", "id")),
        areas=tuple(Area.objects.filter(edition_id=edition_id).order_by("position", "id")),
        threats_of=_links(Requirement.threats.through, "threat_id", edition_id),
        areas_of=_links(Requirement.areas.through, "area_id", edition_id),
        levels={level.id: level for level in scale},
        scale=scale,
        refs=tuple(
            Requirement.objects.filter(edition_id=edition_id).order_by("position", "id").values_list("ref", flat=True)
        ),
    )


def is_cached(edition: Edition) -> bool:
    """Whether this edition's structure may be kept (an edition in force or superseded)."""
    return edition.status != EditionStatus.DRAFT


def edition_structure(edition: Edition) -> EditionStructure:
    """The edition's structure: no query once a published edition has been read in this process."""
    if not is_cached(edition):
        return _read(edition.pk)
    structure = _cache.get(edition.pk)
    if structure is None:
        structure = _read(edition.pk)
        with _lock:
            _cache[edition.pk] = structure
    return structure


def on_forget(listener: Callable[[], None]) -> None:
    """Have `listener` called whenever the cache is emptied (for a cache derived from this one)."""
    if listener not in _listeners:
        _listeners.append(listener)


def forget_structures(**_kwargs) -> None:
    """Empty the cache and those derived from it (a receiver for the signals of `capabilities.apps`)."""
    with _lock:
        _cache.clear()
    for listener in _listeners:
        listener()
