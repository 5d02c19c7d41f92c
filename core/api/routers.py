"""The one router every API app registers its viewsets with.

DRF's router matches a detail route's lookup with `[^/.]+`, so `/assessments/abc/history/` reached the
view, and every view that passed the id on to a query answered 500 (a NUL in a code did the same on
PostgreSQL). Here a viewset looked up by its primary key takes only digits (at most 18, inside a
bigint), and one looked up by a code only a slug; anything else is not found before a view runs.
A viewset that sets its own `lookup_value_regex` keeps it.
"""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

ID_REGEX = r"[0-9]{1,18}"
CODE_REGEX = r"[-a-zA-Z0-9_]{1,100}"


class Router(SimpleRouter):
    """SimpleRouter (several apps share /api/v1/, and each DefaultRouter would add a root view) with
    strict lookups."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_field = getattr(viewset, "lookup_field", "pk")
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
        value = getattr(viewset, "lookup_value_regex", None) or (
            ID_REGEX if lookup_field in ("pk", "id") else CODE_REGEX
        )
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{value})"
