"""Lists count their rows without COUNT(*) when the page read is the last one (issue 18): an
assessment's 1,209 responses come back in one page, so counting them again was a second pass."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Response
from core.api.pagination import CountingPaginator
from tests.api.assessments_api_support import api_client, make_assessment
from tests.conftest import HOME_FORCE

pytestmark = pytest.mark.django_db


def _counts(queries) -> int:
    return sum("COUNT(" in query["sql"].upper() for query in queries)


@pytest.fixture
def assessment(staff_user, forces, spr2012):
    return make_assessment(staff_user, forces[HOME_FORCE], spr2012)


def test_every_page_gives_the_same_count_and_rows_as_before(assessment, staff_user):
    client = api_client(staff_user)
    url = reverse("api-response-list")
    everything = list(Response.objects.filter(assessment=assessment).order_by("requirement__position", "id"))
    seen, counted = [], []
    for page in (1, 2, 3, 4):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url, {"assessment": assessment.pk, "page_size": 10, "page": page}).json()
        assert body["count"] == 38
        assert (body["next"] is None) == (page == 4)
        assert (body["previous"] is None) == (page == 1)
        seen += [row["id"] for row in body["results"]]
        counted.append(_counts(queries.captured_queries))
    assert seen == [response.pk for response in everything]
    assert counted == [1, 1, 1, 0]  # full pages count (there may be more); the last one need not

    past_the_end = client.get(url, {"assessment": assessment.pk, "page_size": 10, "page": 5})
    assert past_the_end.status_code == 404
    for nonsense in ("0", "x", "1.5"):
        assert client.get(url, {"assessment": assessment.pk, "page": nonsense}).status_code == 404


def test_a_whole_assessment_in_one_page_is_read_in_five_queries(assessment, staff_user, django_assert_num_queries):
    """Session, person with profile, roles and forces, the rows, their evidence ids (seven before)."""
    client = api_client(staff_user)
    with django_assert_num_queries(5):
        body = client.get(reverse("api-response-list"), {"assessment": assessment.pk, "page_size": 2000}).json()
    assert body["count"] == 38 and len(body["results"]) == 38 and body["next"] is None


def test_an_empty_list_is_one_empty_page(staff_user):
    page = CountingPaginator(Response.objects.none().order_by("id"), 10).page(1)
    assert (page.paginator.count, list(page), page.has_next()) == (0, [], False)
    with pytest.raises(Exception, match="no results"):
        CountingPaginator(Response.objects.none().order_by("id"), 10, allow_empty_first_page=False).page(1)


def test_a_stale_save_answers_412_with_the_stored_response_as_the_list_shows_it(
    assessment, staff_user, forces, django_assert_num_queries
):
    """The 412 shows the response as locked (its evidence ids and editor's job title included): the
    same as reading it from the list, with nothing read again (12 queries before issue 18, then 9)."""
    from assessments import services
    from assessments.records import ResponseAnswer
    from people.models import Profile
    from tests.api.assessments_api_support import make_reference_evidence

    Profile.objects.update_or_create(user=staff_user, defaults={"job_title": "Planner"})
    staff_user.first_name = "Sam Patel"
    staff_user.save()
    response = assessment.responses.order_by("id").first()
    items = [make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}") for i in range(2)]
    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="Theirs", evidence_ids=[i.pk for i in items]),
    )
    client = api_client(staff_user)
    listed = client.get(reverse("api-response-list"), {"assessment": assessment.pk}).json()["results"][0]
    # Session, person, roles and forces, [savepoint], the response among those the user may see,
    # locked with its links, [release] (in production BEGIN and COMMIT: nothing was written).
    with django_assert_num_queries(6):
        answer = client.patch(
            f"/api/v1/responses/{response.pk}/", {"narrative": "Mine"}, format="json", HTTP_IF_MATCH='"1"'
        )
    assert answer.status_code == 412
    assert answer.json()["current"] == listed
    assert listed["evidence"] == sorted(item.pk for item in items)
    assert listed["updated_by"] == "Sam Patel, Planner"


def test_evidence_ids_are_the_same_however_the_responses_are_spread(assessment, staff_user, forces, spr2012):
    """Close ids are read as a range, scattered ones as a list: the same links either way, and none of
    a response that was not asked for."""
    from assessments import selectors
    from tests.api.assessments_api_support import make_reference_evidence

    later = make_assessment(staff_user, forces[HOME_FORCE], spr2012, period="2026/27")
    items = [make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}") for i in range(3)]
    through = Response.evidence.through
    every = list(Response.objects.order_by("id"))
    through.objects.bulk_create(
        through(response_id=response.pk, evidence_id=items[n % 3].pk) for n, response in enumerate(every) if n % 2
    )
    expected = {
        response.pk: sorted(through.objects.filter(response=response).values_list("evidence_id", flat=True))
        for response in every
    }
    mine = [r.pk for r in every if r.assessment_id == assessment.pk]
    close = mine[3:30:2]  # every other one: a range, with links in between to leave out
    scattered = [mine[0], *[r.pk for r in every if r.assessment_id == later.pk][-2:]]
    for ids in (mine, close, scattered, [mine[5]], []):
        assert selectors.response_evidence_ids(response_ids=ids) == {pk: expected[pk] for pk in ids}
