"""The authentication backends, loading a signed-in person whole: their account with their profile
(job title) in one query, and their roles and forces together in a second, so a request that shows
or checks them (every page and API call) reads neither again.

It is allauth's backend (username or e-mail address and password; axes' runs before it, in
settings); only `get_user`, which loads the person of a session on every request, differs.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast

from core.roles import remember_roles
from forces.models import Membership
from forces.scoping import remember_force_ids

ROLE, FORCE = "role", "force"


def load_person(user_id):
    """The active-or-not user with this id, their profile, roles and forces (two queries), or None."""
    user = get_user_model()._default_manager.select_related("profile").filter(pk=user_id).first()
    if user is None:
        return None
    roles = Group.objects.filter(user=user).values_list(Value(ROLE, output_field=CharField()), F("name"))
    forces = Membership.objects.filter(user=user).values_list(
        Value(FORCE, output_field=CharField()), Cast("force_id", CharField())
    )
    names, force_ids = [], []
    for kind, value in roles.union(forces, all=True):
        if kind == ROLE:
            names.append(value)
        else:
            force_ids.append(int(value))
    remember_roles(user, names)
    remember_force_ids(user, force_ids)
    return user


class AccountBackend(AuthenticationBackend):
    """allauth's backend (username or e-mail address and password), loading the person whole."""

    def get_user(self, user_id):
        user = load_person(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
