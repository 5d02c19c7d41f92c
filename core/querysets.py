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
