"""The forces and regions read once per process.

Forces and regions are public reference data (every signed-in user reads all of them) that change
when an administrator loads them (`manage.py load_forces`), not while people work: the national view,
its capacity table, its inspection summary and its agreements each read them, four queries a page.
Any save or deletion of a force or a region empties the cache (`forget_forces`, wired in
`forces.apps`), so a change made in this process is seen at once; one made by another process (a
load from the command line) is seen by a web worker after its restart, as a deploy does.

A force's policing body (it changes with elections and mergers) is not held here.
"""

from __future__ import annotations

import threading

from forces.models import Force, Region

_cache: dict[str, tuple] = {}
_lock = threading.Lock()


def all_regions() -> tuple[Region, ...]:
    """Every region, by name (no query once read)."""
    regions = _cache.get("regions")
    if regions is None:
        regions = tuple(Region.objects.order_by("name"))
        with _lock:
            _cache["regions"] = regions
    return regions


def all_forces() -> tuple[Force, ...]:
    """Every force, by name, with its region loaded (no query once read)."""
    forces = _cache.get("forces")
    if forces is None:
        forces = tuple(Force.objects.select_related("region").order_by("name"))
        with _lock:
            _cache["forces"] = forces
    return forces


def forget_forces(**_kwargs) -> None:
    """Empty the cache (a receiver for saves and deletions of forces and regions)."""
    with _lock:
        _cache.clear()
