"""Every API list costs the same number of queries however much data there is."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forces.models import Force, PolicingBody, Region
from tests.api.conftest import build_edition

#: session + user + count + page + at most two prefetches (requirements: areas, threats).
MAX_QUERIES = 6


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"page_size": 500})
    assert response.status_code == 200
    return len(captured)


def _grow_forces(n: int) -> None:
    region = Region.objects.create(code="extra", name="Extra")
    for i in range(n):
        force = Force.objects.create(code=f"extra-{i}", name=f"Extra force {i}", region=region, home_office=False)
        PolicingBody.objects.create(
            force=force, name=f"Body {i}", body_type="pcc", effective_from=dt.date(2012, 11, 22)
        )
        PolicingBody.objects.create(
            force=force,
            name=f"Old body {i}",
            body_type="pcc",
            effective_from=dt.date(2000, 1, 1),
            effective_to=dt.date(2012, 11, 21),
        )


@pytest.mark.parametrize("basename", ["api-edition", "api-threat", "api-area", "api-requirement"])
def test_reference_list_queries_do_not_grow(staff_client, django_assert_max_num_queries, basename):
    url = reverse(f"{basename}-list")
    build_edition("small", threats=1, areas=1, requirements=1)
    small = _queries(staff_client, url)
    for year in range(2013, 2016):
        build_edition(f"big-{year}", threats=12, areas=5, requirements=80, published_on=dt.date(year, 1, 1))
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _queries(staff_client, url)
    assert large == small


@pytest.mark.parametrize("basename", ["api-force", "api-region"])
def test_force_list_queries_do_not_grow(staff_client, django_assert_max_num_queries, basename):
    url = reverse(f"{basename}-list")
    small = _queries(staff_client, url)
    _grow_forces(30)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _queries(staff_client, url)
    assert large == small
