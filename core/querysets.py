"""The reading rule of reference data. Force-owned rows follow forces.scoping instead."""

from __future__ import annotations

from django.db import models


class PublicQuerySet(models.QuerySet):
    """Reference data (the SPR's editions, threats and requirements, the forces' public facts):
    every signed-in user reads all of it, nobody else reads any. Pages and the API still start from
    `visible_to(user)`, so every read asks the same question whatever the model."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()


def prefetched_ids(instance, name: str, ids) -> None:
    """Give `instance` its many-to-many `name` as `prefetch_related` would, from ids already known (in
    the order given; each object holds its id only, the rest deferred): a write that knows what it
    linked answers without reading the links back. `prefetch_related_objects` then skips it."""
    manager = getattr(instance, name)
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache.pop(manager.prefetch_cache_name, None)
    queryset = manager.get_queryset()
    model, db = queryset.model, queryset.db
    queryset._result_cache = [model.from_db(db, [model._meta.pk.attname], [pk]) for pk in ids]
    queryset._prefetch_done = True
    cache[manager.prefetch_cache_name] = queryset
