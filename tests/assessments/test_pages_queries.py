"""Every self-assessment page runs a fixed number of queries, however much data the force has."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Response
from assessments.records import ResponseAnswer
from tests.factories import make_assessment, make_link_evidence

REF = "3.2(a)(ii)"

#: The most queries each page may run (session, user, roles and memberships included).
MAX_QUERIES = {
    "list": 8,
    # one of them: the force's people for the filter by owner; one: the period's deadlines (cycle's panel);
    # one: the force's collaboration agreements, for "Delivered under agreement". The edition's threats
    # and areas are read once per process (capabilities.structure), so none on a warm page (was 15).
    "detail": 11,
    # one: the force's people to assign; one: cited evidence's sharing. The refs for "requirement n of
    # 38", the scale and the requirement's threats and areas come from the edition's structure, read
    # once per process (capabilities.structure): none on a warm page (was 16).
    "response": 11,
    "check": 11,
    "evidence": 8,
    "departures": 7,
    "actions": 6,
}


def _fill(*, user, force, edition, size: int, period: str):
    """An assessment with `size` evidence items linked to every response, several saves of one
    response, and `size` departures and actions."""
    assessment = make_assessment(user=user, force=force, edition=edition, period=period)
    items = [
        make_link_evidence(
            user=user,
            force=force,
            title=f"{period} item {n}",
            evidence_date=dt.date(2019, 1, 1),
            review_by=dt.date(2020 if n % 2 else 2099, 1, 1),
        )
        for n in range(size)
    ]
    through = Response.evidence.through
    through.objects.bulk_create(
        through(response_id=response_id, evidence_id=item.pk)
        for response_id in assessment.responses.values_list("id", flat=True)
        for item in items
    )
    response = assessment.responses.get(requirement__ref=REF)
    for n in range(size // 3 + 1):
        response = services.response_update(
            user=user,
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(
                judgement=["assured", "not_assured"][n % 2],
                narrative=f"Narrative {n}",
                evidence_ids=[item.pk for item in items[: n + 1]],
            ),
        )
    for n in range(size):
        services.departure_save(
            user=user,
            assessment=assessment,
            requirement="4.1(c)",
            departing_party="pcc",
            circumstances=f"C{n}",
            reasons="R",
            alternative_arrangements="A",
            residual_risk="L",
            review_date=dt.date(2020, 1, 1),
            evidence_ids=[item.pk for item in items],
        )
        services.action_save(
            user=user,
            assessment=assessment,
            requirement="6.4",
            gap="G",
            description=f"D{n}",
            owner="O",
            due_date=dt.date(2020, 1, 1),
        )
    return assessment


def _urls(assessment) -> dict[str, str]:
    return {
        "list": reverse("assessments:list"),
        "detail": reverse("assessments:detail", args=[assessment.pk]),
        "response": reverse("assessments:response", args=[assessment.pk, REF]),
        "check": reverse("assessments:check", args=[assessment.pk]),
        "evidence": reverse("assessments:evidence-list"),
        "departures": reverse("assessments:departures", args=[assessment.pk]),
        "actions": reverse("assessments:actions", args=[assessment.pk]),
    }


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", list(MAX_QUERIES))
@pytest.mark.parametrize("reader", ["staff_client", "chief_client", "national_admin_client"])
def test_pages_run_a_constant_number_of_queries(
    request, page, reader, staff_user, forces, spr2012, django_assert_max_num_queries
):
    client = request.getfixturevalue(reader)
    home = forces["west-midlands"]
    small = _fill(user=staff_user, force=home, edition=spr2012, size=3, period="2024/25")
    small_url = _urls(small)[page]
    client.get(small_url)  # warm: a published edition's structure is read once per process
    small_count = _count(client, small_url)

    large = _fill(user=staff_user, force=home, edition=spr2012, size=20, period="2025/26")
    with django_assert_max_num_queries(MAX_QUERIES[page]):
        assert client.get(_urls(large)[page]).status_code == 200
    assert _count(client, _urls(large)[page]) == small_count
