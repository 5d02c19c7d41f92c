"""Judgement scales read once per process: a published edition's scale does not change, and every
save of an answer needs it.

`judgement_level(edition, code)` answers the level of the edition's scale with that code. A draft
edition's scale is still being written, so it is read afresh every time; the scale of an edition in
force or superseded is kept here. Any save or deletion of an edition or a level empties the cache
(signals wired in `threats.apps`), and a code the cached scale lacks reads the scale again before
it is refused, so a level added by another process (`manage.py load_editions`) is never refused.
"""

from __future__ import annotations

import threading

from threats.models import Edition, EditionStatus, JudgementLevel

_cache: dict[int, dict[str, JudgementLevel]] = {}
_lock = threading.Lock()


def _read(edition: Edition) -> dict[str, JudgementLevel]:
    levels = {level.code: level for level in JudgementLevel.objects.filter(edition_id=edition.pk).order_by("position")}
    if edition.status != EditionStatus.DRAFT:
        with _lock:
            _cache[edition.pk] = levels
    return levels


def judgement_level(edition: Edition, code: str) -> JudgementLevel | None:
    """The level with this code on the edition's scale, or None (no query once the scale is cached)."""
    cached = _cache.get(edition.pk) if edition.status != EditionStatus.DRAFT else None
    if cached is not None and code in cached:
        return cached[code]
    return _read(edition).get(code)


def forget_scales(**_kwargs) -> None:
    """Empty the cache (a receiver for saves and deletions of editions and levels)."""
    with _lock:
        _cache.clear()
