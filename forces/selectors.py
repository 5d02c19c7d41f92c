"""Reads of forces and memberships."""

from django.db.models import Prefetch, QuerySet

from core.roles import sees_all_forces
from forces.models import Force, PolicingBody
from forces.scoping import force_ids_for


def force_list(*, user) -> QuerySet[Force]:
    """Every force (public facts) with region and policing bodies, in two queries however many."""
    return (
        Force.objects.visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("policing_bodies", queryset=PolicingBody.objects.order_by("-effective_from")))
        .order_by("name")
    )


def forces_for_user(*, user) -> QuerySet[Force]:
    """The forces a user acts for: their memberships (national roles see all, but act for none)."""
    if sees_all_forces(user) and not force_ids_for(user):
        return Force.objects.none()
    return force_list(user=user).filter(id__in=force_ids_for(user))


def force_choices(*, user) -> QuerySet[Force]:
    """The forces whose pages (dashboard, capacity) a user may open: every force for national roles,
    else the forces they are members of."""
    forces = Force.objects.visible_to(user).select_related("region").order_by("name")
    return forces if sees_all_forces(user) else forces.filter(id__in=force_ids_for(user))
