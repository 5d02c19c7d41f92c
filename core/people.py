"""How a person is named on every page, PDF, e-mail and API answer: "Name, job title".

A person's full name is the account's name (`User.get_full_name()`); their job title lives on the
`people` app's Profile (`user.profile`, one to one). This module reads the profile by its related name
only, never by import, so every layer can name people; lists that name many people load it with
`select_related("…__profile")` to keep their query counts constant.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist


def job_title_of(user) -> str:
    """The person's job title ("" when none is recorded, or for no user)."""
    if user is None:
        return ""
    try:
        profile = user.profile
    except (AttributeError, ObjectDoesNotExist):
        return ""
    return (getattr(profile, "job_title", "") or "").strip()


def display_name(user) -> str:
    """ "Name, job title"; the name alone without a job title; the login only for an account that has
    no name at all (the first administrator before they set theirs). "" for no user."""
    if user is None or not getattr(user, "pk", None):
        return ""
    name = (user.get_full_name() or "").strip()
    title = job_title_of(user)
    if name and title:
        return f"{name}, {title}"
    return name or user.get_username()
