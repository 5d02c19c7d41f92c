"""The one force-scoping rule every user-facing read starts from."""

from __future__ import annotations

from django.db import models

from core.roles import sees_all_forces


def force_ids_for(user) -> list[int]:
    """Ids of the forces a user acts for through memberships (cached for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_spr_force_ids", None)
    if cached is None:
        from forces.models import Membership

        cached = list(Membership.objects.filter(user=user).values_list("force_id", flat=True))
        user._spr_force_ids = cached
    return cached


class ForceScopedQuerySet(models.QuerySet):
    """A queryset whose rows belong to a force.

    `visible_to(user)` is the only way pages and the API list such rows: national roles see every
    force, force roles see the forces they are members of, anyone else sees nothing. An object
    outside the result is therefore a 404, never a 403 that would confirm it exists.
    """

    #: The lookup from this model to its force; models override it (e.g. "assessment__force").
    force_lookup = "force"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_all_forces(user):
            return self.all()
        return self.filter(**{f"{self.force_lookup}__in": force_ids_for(user)})
