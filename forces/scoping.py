"""The one force-scoping rule every user-facing read starts from.

A force-owned model says once which force owns a row, as `force_path` (a lookup such as "force" or
"assessment__force"); `core.models.force_id_of` reads the same declaration for the audit trail.
`Model.objects.visible_to(user)` is then the only way pages and the API list such rows: force roles
see the forces they are members of, national roles (HMIC inspectors, national administrators) see
across forces as `across_forces` allows, and anyone else sees nothing. An object outside the result
is therefore a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models

from core.audit import audit_event
from core.models import AuditEntry
from core.requests import current_request_id
from core.roles import sees_all_forces


def force_ids_for(user) -> list[int]:
    """Ids of the forces a user acts for through memberships (cached on the user for the request)."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_spr_force_ids", None)
    if cached is None:
        cached = remember_force_ids(user, user.memberships.values_list("force_id", flat=True))
    return cached


def remember_force_ids(user, force_ids) -> list[int]:
    """Cache on the user, for the request, the forces it acts for (as `force_ids_for` reads them)."""
    user._spr_force_ids = list(force_ids)
    return user._spr_force_ids


def acts_for(user, force_id: int) -> bool:
    """The user is a member of the force (national roles act for no force)."""
    return force_id in force_ids_for(user)


def loaded_for(obj, user):
    """Record that `obj` was just read through `visible_to(user)`, so a later "may this user see it?"
    in the same request needs no query (`seen_by`). Returns `obj`."""
    obj._spr_visible_to = getattr(user, "pk", None)
    return obj


def seen_by(obj, user) -> bool:
    """`obj` was read through `visible_to(user)` in this request (see `loaded_for`)."""
    return getattr(user, "pk", None) is not None and getattr(obj, "_spr_visible_to", None) == user.pk


class ForceScopedQuerySet(models.QuerySet):
    """Rows that belong to a force, through the model's `force_path`.

    A queryset from `visible_to(user)` remembers its user: when its `get()` finds nothing (the 404 of
    a detail page or API endpoint) but the row exists outside what the user may see, the denied
    access is recorded in the audit chain as a security event. The answer stays the same 404."""

    _scoped_for = None

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scoped = self.across_forces(user) if sees_all_forces(user) else self.of_forces(force_ids_for(user))
        scoped._scoped_for = user
        return scoped

    def of_forces(self, force_ids):
        """What the members of these forces read. By default their own rows; a model whose rows can
        be shared with other forces (evidence, collaboration agreements) adds what was shared with
        them here, so "visible" may be wider than "owned" (`owned_by`)."""
        return self.filter(**{f"{self.model.force_path}__in": force_ids})

    def owned_by(self, user):
        """The rows of the forces the user acts for (national roles: every force's), never what was
        only shared with them: the most a user may change (the permission predicates narrow it by
        role)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if sees_all_forces(user):
            return self.all()
        return self.filter(**{f"{self.model.force_path}__in": force_ids_for(user)})

    def _clone(self):
        clone = super()._clone()
        clone._scoped_for = self._scoped_for
        return clone

    def get(self, *args, **kwargs):
        try:
            return super().get(*args, **kwargs)
        except self.model.DoesNotExist:
            if self._scoped_for is not None:
                _record_denied(self.model, self._scoped_for, args, kwargs)
            raise

    def across_forces(self, user):
        """What a national role reads: every force's rows, unless the model narrows it (HMIC
        inspectors read only the work forces have shared with them)."""
        return self.all()


def _record_denied(model, user, args, kwargs) -> None:
    """If the row a scoped `get()` missed exists, record that the user was denied it: which record and
    whose force, never its content."""
    try:
        found = model._default_manager.filter(*args, **kwargs).values_list("pk", model.force_path).first()
    except (FieldError, ValueError, TypeError):  # a lookup that means nothing unscoped: nothing to record
        return
    if found is None:
        return
    pk, force_id = found
    audit_event(
        kind=AuditEntry.Kind.ACCESS_DENIED,
        user=user,
        model=model._meta.label_lower,
        object_id=str(pk),
        details={"object_force": force_id, "request_id": current_request_id()},
    )
