"""Reads of people and invitations, each scoped to who is asking: a national administrator reads
everyone, a force administrator the people of their forces, anyone else only themselves (people) or
nothing (invitations). Anything outside the scope is a 404."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from forces.models import Membership
from people.models import Invitation, InvitationStatus
from people.permissions import can_manage_people, managed_force_ids


def person_list(*, user) -> QuerySet:
    """The people the user may see, with their profile, groups and forces (four queries however many)."""
    User = get_user_model()
    people = (
        User.objects.select_related("profile")
        .prefetch_related(
            "groups",
            Prefetch("memberships", queryset=Membership.objects.select_related("force").order_by("force__name")),
        )
        .order_by("first_name", "last_name", "username")
    )
    if not getattr(user, "is_authenticated", False):
        return people.none()
    if not can_manage_people(user):
        return people.filter(pk=user.pk)
    managed = managed_force_ids(user)
    if managed is not None:
        people = people.filter(pk__in=Membership.objects.filter(force_id__in=managed).values("user_id"))
    return people


def person_get(*, user, pk) -> object:
    return get_object_or_404(person_list(user=user), pk=pk)


def invitation_list(*, user, pending_only: bool = False) -> QuerySet[Invitation]:
    """Invitations the user manages (newest first), with force and inviter."""
    invitations = Invitation.objects.select_related("force", "created_by", "created_by__profile")
    if not can_manage_people(user):
        return invitations.none()
    managed = managed_force_ids(user)
    if managed is not None:
        invitations = invitations.filter(force_id__in=managed)
    if pending_only:
        invitations = invitations.filter(status=InvitationStatus.PENDING)
    return invitations


def invitation_get(*, user, pk) -> Invitation:
    return get_object_or_404(invitation_list(user=user), pk=pk)
