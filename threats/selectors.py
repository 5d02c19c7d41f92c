"""Reads of SPR editions and their Part A threats."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from threats.models import Edition


def edition_list(*, user) -> QuerySet[Edition]:
    """Every edition the user may read, newest first, with `threat_count` and `requirement_count`
    annotated (one query however many editions)."""
    return (
        Edition.objects.visible_to(user)
        .annotate(
            threat_count=Count("threats", distinct=True),
            requirement_count=Count("requirements", distinct=True),
        )
        .order_by("-published_on", "code")
    )


def edition_get(*, user, code: str) -> Edition:
    """One edition with its judgement scale, threats and areas prefetched (in position order).

    Raises Edition.DoesNotExist for an unknown code or an edition the user may not read.
    """
    return (
        Edition.objects.visible_to(user)
        .select_related("follows")
        .prefetch_related("judgement_levels", "threats", "areas")
        .get(code=code)
    )
