"""The assessment API: who may read and write what, force isolation, assessments and responses
(optimistic locking with ETag / If-Match), input refusals and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import services
from assessments.models import Assessment, AssessmentStatus, Response
from assessments.records import ResponseAnswer
from capabilities.models import Requirement
from core.people import display_name
from tests.api.assessments_api_support import (
    api_client,
    make_action,
    make_assessment,
    make_departure,
    make_file_evidence,
    make_reference_evidence,
    use_private_media,
)
from tests.conftest import HOME_FORCE, OTHER_FORCE

LISTS = ["api-assessment", "api-response", "api-evidence", "api-departure", "api-action"]


@pytest.fixture(autouse=True)
def private_media(tmp_path):
    undo = use_private_media(tmp_path / "media")
    yield tmp_path / "media"
    undo()


@pytest.fixture
def as_user(request):
    """as_user("staff") -> an APIClient signed in as the conftest user of that role."""
    return lambda name: api_client(request.getfixturevalue(f"{name}_user"))


@pytest.fixture
def assessment(staff_user, forces, spr2012) -> Assessment:
    return make_assessment(staff_user, forces[HOME_FORCE], spr2012)


@pytest.fixture
def other_assessment(other_staff_user, forces, spr2012) -> Assessment:
    return make_assessment(other_staff_user, forces[OTHER_FORCE], spr2012)


@pytest.fixture
def home(assessment, staff_user, forces):
    """One of every west-midlands record, by API basename."""
    evidence = make_file_evidence(staff_user, forces[HOME_FORCE])
    response = assessment.responses.get(requirement__ref="3.1(a)")
    # Linked, so an inspector reads it once the assessment is shared.
    response = services.response_update(
        user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(evidence_ids=[evidence.pk])
    )
    return {
        "api-assessment": assessment,
        "api-response": response,
        "api-evidence": evidence,
        "api-departure": make_departure(staff_user, assessment),
        "api-action": make_action(staff_user, assessment),
    }


def _detail(basename: str, pk) -> str:
    return reverse(f"{basename}-detail", kwargs={"pk": pk})


def _etag(client, response: Response) -> str:
    return client.get(_detail("api-response", response.pk))["ETag"]


def _patch(client, response: Response, data, if_match: str | None = None, **extra):
    headers = {"HTTP_IF_MATCH": if_match} if if_match is not None else {}
    extra.setdefault("format", None if "content_type" in extra else "json")
    return client.patch(_detail("api-response", response.pk), data, **headers, **extra)


def _share_with_hmic(*assessments) -> None:
    Assessment.objects.filter(pk__in=[a.pk for a in assessments]).update(
        status=AssessmentStatus.SUBMITTED, share_with_hmic=True
    )


# Anonymous ------------------------------------------------------------------------------------------


def test_api_assessment_endpoints_refuse_anonymous(home):
    anonymous = APIClient()
    for basename, obj in home.items():
        assert anonymous.get(reverse(f"{basename}-list")).status_code in (401, 403), basename
        assert anonymous.get(_detail(basename, obj.pk)).status_code in (401, 403), basename
        assert anonymous.post(reverse(f"{basename}-list"), {}, format="json").status_code in (401, 403), basename
        assert anonymous.patch(_detail(basename, obj.pk), {}, format="json").status_code in (401, 403), basename
    download = reverse("api-evidence-download", kwargs={"pk": home["api-evidence"].pk})
    assert anonymous.get(download).status_code in (401, 403)


# Roles ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("staff", True, True),
        ("chief", True, False),
        ("pcc", True, False),
        ("national_admin", True, True),
    ],
)
def test_api_roles_read_and_write_the_home_force(as_user, home, role, reads, writes):
    client = as_user(role)
    for basename, obj in home.items():
        listing = client.get(reverse(f"{basename}-list"), {"page_size": 500})
        assert listing.status_code == 200
        assert obj.pk in [row["id"] for row in listing.json()["results"]], basename
        assert client.get(_detail(basename, obj.pk)).status_code == 200, basename
    download = client.get(reverse("api-evidence-download", kwargs={"pk": home["api-evidence"].pk}))
    assert download.status_code == 200

    response = home["api-response"]
    patched = _patch(client, response, {"narrative": "Reviewed"}, _etag(client, response))
    assert patched.status_code == (200 if writes else 403)
    evidence = client.patch(_detail("api-evidence", home["api-evidence"].pk), {"title": "New"}, format="json")
    assert evidence.status_code == (200 if writes else 403)
    action = client.patch(_detail("api-action", home["api-action"].pk), {"status": "in_progress"}, format="json")
    assert action.status_code == (200 if writes else 403)
    created = client.post(
        reverse("api-assessment-list"), {"force": HOME_FORCE, "edition": "spr-2012", "period": "2026/27"}
    )
    assert created.status_code == (201 if writes else 403)
    assert Assessment.objects.filter(period="2026/27").exists() == writes


def test_api_inspector_reads_every_force_once_shared_and_writes_nothing(as_user, home, other_assessment):
    inspector = as_user("inspector")
    # A draft is the force's own business: HMIC sees nothing of it.
    for basename, obj in home.items():
        assert inspector.get(_detail(basename, obj.pk)).status_code == 404, basename
        assert inspector.get(reverse(f"{basename}-list")).json()["count"] == 0, basename
    _share_with_hmic(home["api-assessment"], other_assessment)
    listing = inspector.get(reverse("api-assessment-list")).json()
    assert {row["force"] for row in listing["results"]} == {HOME_FORCE, OTHER_FORCE}
    for basename, obj in home.items():
        assert inspector.get(_detail(basename, obj.pk)).status_code == 200, basename
    assert inspector.get(reverse("api-evidence-download", kwargs={"pk": home["api-evidence"].pk})).status_code == 200
    response = home["api-response"]
    assert _patch(inspector, response, {"narrative": "x"}, f'"{response.version}"').status_code == 403
    assert (
        inspector.patch(_detail("api-evidence", home["api-evidence"].pk), {"title": "x"}, format="json").status_code
        == 403
    )


def test_api_national_admin_reads_every_force(as_user, home, other_assessment):
    listing = as_user("national_admin").get(reverse("api-assessment-list")).json()
    assert {row["force"] for row in listing["results"]} == {HOME_FORCE, OTHER_FORCE}


def test_api_other_force_sees_nothing_of_the_home_force(as_user, home, other_assessment):
    client = as_user("other_staff")
    for basename, obj in home.items():
        assert client.get(_detail(basename, obj.pk)).status_code == 404, basename
        patched = client.patch(_detail(basename, obj.pk), {"title": "x"}, format="json").status_code
        assert patched == (405 if basename == "api-assessment" else 404), basename
        listing = client.get(reverse(f"{basename}-list")).json()
        assert obj.pk not in [row["id"] for row in listing["results"]], basename
    response = home["api-response"]
    assert _patch(client, response, {"narrative": "x"}, f'"{response.version}"').status_code == 404
    assert client.get(reverse("api-evidence-download", kwargs={"pk": home["api-evidence"].pk})).status_code == 404
    for basename in ("api-response", "api-departure", "api-action"):
        filtered = client.get(reverse(f"{basename}-list"), {"assessment": home["api-assessment"].pk}).json()
        assert filtered["count"] == 0, basename
    assert client.get(reverse("api-evidence-list")).json()["count"] == 0
    assert client.get(reverse("api-departure-list")).json()["count"] == 0
    assert client.get(reverse("api-assessment-list")).json()["count"] == 1  # their own only
    # Writing into the home force through their own requests is refused, and nothing is written.
    departure = client.post(
        reverse("api-departure-list"),
        {"assessment": home["api-assessment"].pk, "requirement": "4.1(c)", "departing_party": "pcc",
         "circumstances": "c", "reasons": "r", "alternative_arrangements": "a", "residual_risk": "r",
         "review_date": "2026-03-31"},
        format="json",
    )  # fmt: skip
    assert departure.status_code == 400
    assert set(departure.json()) == {"assessment"}
    assert home["api-assessment"].departures.count() == 1
    created = client.post(
        reverse("api-assessment-list"), {"force": HOME_FORCE, "edition": "spr-2012", "period": "2026/27"}
    )
    assert created.status_code == 403
    assert Response.objects.get(pk=response.pk).version == response.version


# Assessments ----------------------------------------------------------------------------------------


def test_assessment_list_shows_progress(as_user, assessment, staff_user):
    response = assessment.responses.get(requirement__ref="3.1(a)")
    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="Exercised in May"),
    )
    # Judged without a narrative, or explained without a judgement: in progress, not completed.
    services.response_update(
        user=staff_user,
        response=assessment.responses.get(requirement__ref="3.1(b)"),
        expected_version=1,
        answer=ResponseAnswer(judgement="not_assured", narrative="   "),
    )
    body = as_user("staff").get(reverse("api-assessment-list")).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["force"] == HOME_FORCE
    assert row["edition"] == "spr-2012"
    assert row["period"] == "2025/26"
    assert row["revision"] == 1
    assert row["status"] == "draft"
    assert row["progress"] == {"completed": 1, "total": 38, "percent": 3}
    assert row["url"].endswith(_detail("api-assessment", assessment.pk))
    assert as_user("staff").get(row["url"]).json() == row


def test_assessment_list_filters(as_user, assessment, other_assessment):
    client = as_user("national_admin")
    url = reverse("api-assessment-list")
    assert [r["id"] for r in client.get(url, {"force": OTHER_FORCE}).json()["results"]] == [other_assessment.pk]
    assert client.get(url, {"edition": "spr-2012", "period": "2025/26"}).json()["count"] == 2
    assert client.get(url, {"period": "2024/25"}).json()["count"] == 0
    assert client.get(url, {"status": "submitted"}).json()["count"] == 0
    assert client.get(url, {"status": "draft"}).json()["count"] == 2
    assert client.get(url, {"force": "atlantis"}).status_code == 400
    assert client.get(url, {"status": "nonsense"}).status_code == 400
    # The force code filter does not reveal another force's assessments.
    assert as_user("other_staff").get(url, {"force": HOME_FORCE}).json()["count"] == 0


def test_assessment_create_for_own_force(as_user, spr2012):
    answer = as_user("staff").post(
        reverse("api-assessment-list"), {"edition": "spr-2012", "period": "2025/26"}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["force"] == HOME_FORCE
    assert body["progress"] == {"completed": 0, "total": 38, "percent": 0}
    assert answer["Location"].endswith(_detail("api-assessment", body["id"]))
    assert Response.objects.filter(assessment_id=body["id"]).count() == 38


def test_assessment_create_duplicate_is_400(as_user, assessment):
    answer = as_user("staff").post(
        reverse("api-assessment-list"), {"force": HOME_FORCE, "edition": "spr-2012", "period": "2025/26"}
    )
    assert answer.status_code == 400
    assert "period" in answer.json()
    assert Assessment.objects.count() == 1


def test_assessment_create_refusals_write_nothing(as_user, spr2012):
    staff, admin = as_user("staff"), as_user("national_admin")
    url = reverse("api-assessment-list")
    cases = [
        (staff, {"edition": "spr-2012", "period": "2025/27"}, "period"),
        (staff, {"edition": "spr-2012", "period": 2025}, "period"),
        (staff, {"edition": "no-such-edition", "period": "2025/26"}, "edition"),
        (staff, {"edition": "spr-2012", "period": "2025/26", "start_from_previous": True}, "start_from_previous"),
        (staff, {"edition": "spr-2012", "period": "2025/26", "status": "published"}, "status"),
        (staff, {"edition": "spr-2012", "period": "2025/26", "colour": "red"}, "colour"),
        (admin, {"edition": "spr-2012", "period": "2025/26"}, "force"),
    ]
    for client, data, field in cases:
        answer = client.post(url, data, format="json")
        assert answer.status_code == 400, data
        assert field in answer.json(), (data, answer.json())
    malformed = staff.post(url, '{"edition": "spr-2012", ', content_type="application/json")
    assert malformed.status_code == 400
    assert Assessment.objects.count() == 0
    assert Response.objects.count() == 0


def test_assessment_create_by_national_admin_names_the_force(as_user, spr2012):
    answer = as_user("national_admin").post(
        reverse("api-assessment-list"), {"force": OTHER_FORCE, "edition": "spr-2012", "period": "2025/26"}
    )
    assert answer.status_code == 201
    assert answer.json()["force"] == OTHER_FORCE


def test_assessment_list_queries_do_not_grow(as_user, staff_user, forces, spr2012, django_assert_max_num_queries):
    client = as_user("staff")
    make_assessment(staff_user, forces[HOME_FORCE], spr2012, "2020/21")
    with django_assert_max_num_queries(6) as one:
        assert client.get(reverse("api-assessment-list")).json()["count"] == 1
    for year in range(21, 25):
        make_assessment(staff_user, forces[HOME_FORCE], spr2012, f"20{year}/{year + 1}")
    with django_assert_max_num_queries(6) as five:
        assert client.get(reverse("api-assessment-list")).json()["count"] == 5
    assert len(five) == len(one)


# Responses ------------------------------------------------------------------------------------------


def test_response_list_of_an_assessment(as_user, assessment, other_assessment):
    body = as_user("staff").get(reverse("api-response-list"), {"assessment": assessment.pk, "page_size": 100}).json()
    assert body["count"] == 38
    refs = [row["requirement"] for row in body["results"]]
    assert refs == list(
        Requirement.objects.filter(edition=assessment.edition).order_by("position").values_list("ref", flat=True)
    )
    first = body["results"][0]
    assert set(first) == {
        "id", "assessment", "requirement", "paragraph", "judgement", "narrative", "evidence", "version", "status",
        "updated_at", "updated_by", "owner", "owner_name",
    }  # fmt: skip
    assert first["assessment"] == assessment.pk
    assert first["requirement"] == "3.1(a)"
    assert first["paragraph"] == "3.1"
    assert first["judgement"] == "not_yet_assessed"
    assert first["status"] == "not_started"
    assert first["version"] == 1
    assert first["evidence"] == []
    assert first["updated_by"] == "staff-home"
    assert (first["owner"], first["owner_name"]) == (None, None)


def test_response_list_filters(as_user, assessment, staff_user):
    services.response_update(
        user=staff_user,
        response=assessment.responses.get(requirement__ref="6.4"),
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="Tested\n"),
    )
    services.response_update(
        user=staff_user,
        response=assessment.responses.get(requirement__ref="3.3"),
        expected_version=1,
        answer=ResponseAnswer(narrative="Draft"),
    )
    client = as_user("staff")
    url = reverse("api-response-list")

    def refs(**params):
        answer = client.get(url, {"assessment": assessment.pk, "page_size": 100, **params})
        assert answer.status_code == 200, answer.json()
        return [row["requirement"] for row in answer.json()["results"]]

    assert refs(status="completed") == ["6.4"]
    assert refs(status="in_progress") == ["3.3"]
    assert len(refs(status="not_started")) == 36
    # The SQL filter agrees with the Response.status property on every row.
    for row in client.get(url, {"assessment": assessment.pk, "page_size": 100}).json()["results"]:
        assert row["requirement"] in refs(status=row["status"])
    by_area = refs(area="capability")
    assert by_area and set(by_area) < set(refs())
    assert refs(threat="terrorism")
    assert client.get(url, {"area": "no-such-area"}).status_code == 400
    assert client.get(url, {"status": "finished"}).status_code == 400


def test_response_detail_has_strong_etag_of_its_version(as_user, assessment):
    response = assessment.responses.first()
    answer = as_user("chief").get(_detail("api-response", response.pk))
    assert answer.status_code == 200
    assert answer["ETag"] == '"1"'
    assert answer.json()["version"] == 1


def test_response_patch_without_if_match_is_428(as_user, assessment):
    response = assessment.responses.first()
    for header in (None, "", "*"):
        answer = _patch(as_user("staff"), response, {"narrative": "x"}, header)
        assert answer.status_code == 428, header
        assert "If-Match" in answer.json()["detail"]
    assert Response.objects.get(pk=response.pk).version == 1


def test_response_patch_with_malformed_if_match_is_400(as_user, assessment):
    response = assessment.responses.first()
    for header in ("1", "'1'", '"1', "W/1"):
        assert _patch(as_user("staff"), response, {"narrative": "x"}, header).status_code == 400, header
    assert Response.objects.get(pk=response.pk).narrative == ""


def test_response_patch_with_current_etag_saves_and_bumps_the_version(as_user, assessment, home):
    client = as_user("staff")
    response = assessment.responses.get(requirement__ref="3.2(a)(ii)")
    evidence = home["api-evidence"]
    answer = _patch(
        client,
        response,
        {"judgement": "partially_assured", "narrative": "  Two of three\n", "evidence": [evidence.pk]},
        _etag(client, response),
    )
    assert answer.status_code == 200, answer.json()
    assert answer["ETag"] == '"2"'
    body = answer.json()
    assert body["version"] == 2
    assert body["judgement"] == "partially_assured"
    assert body["narrative"] == "  Two of three\n"
    assert body["evidence"] == [evidence.pk]
    assert body["status"] == "completed"
    assert client.get(_detail("api-response", response.pk))["ETag"] == '"2"'
    # A second edit with the new ETag succeeds; the old one is now stale.
    assert _patch(client, response, {"narrative": "Three of three"}, '"2"').status_code == 200
    assert _patch(client, response, {"narrative": "Lost"}, '"2"').status_code == 412


def test_response_patch_with_stale_etag_is_412_with_current_state(as_user, assessment, staff_user):
    response = assessment.responses.first()
    services.response_update(
        user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(narrative="Theirs")
    )
    answer = _patch(as_user("staff"), response, {"narrative": "Mine"}, '"1"')
    assert answer.status_code == 412
    assert answer["ETag"] == '"2"'
    body = answer.json()
    assert "version 2" in body["detail"]
    assert body["current"]["narrative"] == "Theirs"
    assert body["current"]["version"] == 2
    assert body["current"]["id"] == response.pk
    assert Response.objects.get(pk=response.pk).narrative == "Theirs"
    # A weak tag never matches (RFC 9110 strong comparison); a list matches if one tag does.
    assert _patch(as_user("staff"), response, {"narrative": "Mine"}, 'W/"2"').status_code == 412
    assert _patch(as_user("staff"), response, {"narrative": "Mine"}, '"1", "2"').status_code == 200


def test_response_patch_refuses_read_only_and_unknown_fields(as_user, assessment, other_assessment):
    client = as_user("staff")
    response = assessment.responses.first()
    for data in (
        {"narrative": "x", "version": 7},
        {"narrative": "x", "assessment": other_assessment.pk},
        {"requirement": "6.4"},
        {"status": "completed"},
        {"narrative": "x", "updated_by": "someone"},
        {"narrative": "x", "force": OTHER_FORCE},
        {"narrative": "x", "sha256": "0" * 64},
        {"narrative": "x", "colour": "red"},
    ):
        answer = _patch(client, response, data, '"1"')
        assert answer.status_code == 400, data
        named = set(data) - {"narrative"}
        assert named <= set(answer.json()), (data, answer.json())
    stored = Response.objects.get(pk=response.pk)
    assert (stored.version, stored.narrative, stored.assessment_id) == (1, "", assessment.pk)


def test_response_patch_wrong_types_and_values_are_400_and_nothing_saved(as_user, assessment, settings):
    client = as_user("staff")
    response = assessment.responses.first()
    cases = [
        ({"narrative": 42}, "narrative"),
        ({"narrative": None}, "narrative"),
        ({"judgement": ["assured"]}, "judgement"),
        ({"evidence": "1,2"}, "evidence"),
        ({"evidence": [0]}, "evidence"),
        ({"narrative": "Kept?", "judgement": "excellent"}, "judgement"),
        ({"narrative": "x" * (settings.SPR_NARRATIVE_MAX_LENGTH + 1)}, "narrative"),
        ({}, "non_field_errors"),
    ]
    for data, field in cases:
        answer = _patch(client, response, data, '"1"')
        assert answer.status_code == 400, data
        assert field in answer.json(), (data, answer.json())
    assert _patch(client, response, "[1, 2", '"1"', content_type="application/json").status_code == 400
    assert _patch(client, response, ["narrative"], '"1"').status_code == 400
    stored = Response.objects.get(pk=response.pk)
    assert (stored.version, stored.narrative, stored.judgement.code) == (1, "", "not_yet_assessed")


def test_response_patch_refuses_another_forces_evidence(as_user, assessment, other_staff_user, forces, home):
    theirs = make_reference_evidence(other_staff_user, forces[OTHER_FORCE], "Kent plan")
    response = assessment.responses.get(requirement__ref="6.4")
    answer = _patch(as_user("staff"), response, {"evidence": [home["api-evidence"].pk, theirs.pk]}, '"1"')
    assert answer.status_code == 400
    assert "evidence" in answer.json()
    # The message is the same for an id that does not exist: nothing about Kent's library leaks.
    missing = _patch(as_user("staff"), response, {"evidence": [999_999]}, '"1"')
    assert missing.json() == answer.json()
    assert list(Response.objects.get(pk=response.pk).evidence.all()) == []
    assert Response.objects.get(pk=response.pk).version == 1


def test_response_patch_of_a_submitted_assessment_is_refused(as_user, assessment):
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    response = assessment.responses.first()
    answer = _patch(as_user("staff"), response, {"narrative": "late"}, '"1"')
    assert answer.status_code == 409
    assert "submitted" in answer.json()["detail"]
    assert Response.objects.get(pk=response.pk).version == 1


def test_response_patch_by_reader_roles_is_403_before_preconditions(as_user, assessment):
    response = assessment.responses.first()
    for role in ("chief", "pcc"):
        assert _patch(as_user(role), response, {"narrative": "x"}).status_code == 403, role
        assert _patch(as_user(role), response, {"narrative": "x"}, '"1"').status_code == 403, role
    # HMIC cannot see a draft at all.
    assert _patch(as_user("inspector"), response, {"narrative": "x"}, '"1"').status_code == 404
    assert Response.objects.get(pk=response.pk).version == 1


def test_response_put_and_delete_are_not_allowed(as_user, assessment):
    url = _detail("api-response", assessment.responses.first().pk)
    assert as_user("staff").put(url, {"narrative": "x"}, format="json").status_code == 405
    assert as_user("staff").delete(url).status_code == 405
    assert as_user("staff").post(reverse("api-response-list"), {}, format="json").status_code == 405


def test_response_list_queries_do_not_grow(as_user, assessment, staff_user, forces, django_assert_max_num_queries):
    client = as_user("staff")
    url = reverse("api-response-list")
    params = {"assessment": assessment.pk, "page_size": 100}
    # Session, person (with profile), roles and forces, rows, evidence ids: no COUNT for a last page.
    with django_assert_max_num_queries(5) as bare:
        assert client.get(url, params).json()["count"] == 38
    items = [make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}") for i in range(10)]
    through = Response.evidence.through
    through.objects.bulk_create(
        through(response_id=response.pk, evidence_id=item.pk)
        for response in assessment.responses.all()
        for item in items
    )
    with django_assert_max_num_queries(5) as linked:
        rows = client.get(url, params).json()["results"]
    assert all(len(row["evidence"]) == 10 for row in rows)
    assert len(linked) == len(bare)


def test_response_patch_queries_do_not_grow(as_user, assessment, staff_user, forces, django_assert_num_queries):
    """Session; the person with their profile; their roles and forces (one query); [savepoint]; the
    response among those the user may see (404 otherwise) and its assessment, locked, with its evidence
    links, in one statement; UPDATE; history and its links; the audit chain's end and its entry
    [PostgreSQL: the chain's advisory lock]; [release]. In production BEGIN and COMMIT stand for the
    savepoint and its release: 11 queries, 12 on PostgreSQL (issue 18's ceiling: 12 with session and
    authentication). The judgement scale is cached, the previous history record is not read back, and
    the answer's evidence ids and the editor's job title are already held. The same for a response with
    one evidence item and one save behind it as for one with ten and five. (19 queries before issue 18.)"""
    client = as_user("staff")
    few, many = assessment.responses.order_by("id")[:2]
    items = [make_reference_evidence(staff_user, forces[HOME_FORCE], f"Item {i}") for i in range(10)]
    services.response_update(
        user=staff_user, response=few, expected_version=1, answer=ResponseAnswer(evidence_ids=[items[0].pk])
    )
    services.response_update(
        user=staff_user,
        response=many,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", evidence_ids=[i.pk for i in items]),
    )
    for version in range(2, 6):
        services.response_update(
            user=staff_user, response=many, expected_version=version, answer=ResponseAnswer(narrative=f"v{version}")
        )
    expected = 11 + (connection.vendor == "postgresql")

    with django_assert_num_queries(expected):
        assert _patch(client, few, {"judgement": "assured", "narrative": "Tested"}, '"2"').status_code == 200
    with django_assert_num_queries(expected):
        answer = _patch(client, many, {"judgement": "assured", "narrative": "Tested"}, '"6"')
    assert answer.status_code == 200
    assert answer.json()["evidence"] == sorted(item.pk for item in items)
    assert answer.json()["updated_by"] == display_name(staff_user)
    # Replacing the links: the items checked as the force's, a DELETE and an INSERT (`.set()` and the
    # history would read the links three more times).
    with django_assert_num_queries(expected + 3):
        moved = _patch(client, few, {"evidence": [items[3].pk, items[1].pk]}, '"3"')
    assert moved.json()["evidence"] == [items[1].pk, items[3].pk]


def test_response_serializer_fast_path_matches_the_declared_fields(staff_user, forces, spr2012):
    from rest_framework import serializers as drf

    from assessments import services
    from assessments.api.serializers import ResponseSerializer
    from assessments.selectors import response_list
    from tests.factories import make_assessment, make_link_evidence

    assessment = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)
    item = make_link_evidence(user=staff_user, force=forces["west-midlands"])
    first = assessment.responses.first()
    services.response_update(
        user=staff_user,
        response=first,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="N", evidence_ids=[item.id]),
    )

    for response in response_list(user=staff_user).filter(assessment=assessment):
        serializer = ResponseSerializer()
        assert serializer.to_representation(response) == drf.ModelSerializer.to_representation(serializer, response)


def test_response_serializer_row_path_matches_the_declared_fields(staff_user, forces, spr2012):
    """The list reads values (response_list_rows), not objects: the same output, row for row."""
    from rest_framework import serializers as drf

    from assessments import selectors
    from assessments.api.serializers import ResponseSerializer
    from tests.factories import make_assessment, make_link_evidence

    assessment = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)
    items = [make_link_evidence(user=staff_user, force=forces["west-midlands"], title=f"Plan {n}") for n in (1, 2)]
    first, second, third, fourth = assessment.responses.order_by("id")[:4]
    services.response_update(
        user=staff_user,
        response=first,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative="N", evidence_ids=[items[1].id, items[0].id]),
    )
    services.response_update(
        user=staff_user, response=second, expected_version=1, answer=ResponseAnswer(narrative="  ")
    )
    services.response_update(
        user=staff_user, response=third, expected_version=1, answer=ResponseAnswer(judgement="not_assured")
    )
    Response.objects.filter(pk=fourth.pk).update(updated_by=None)

    rows = list(selectors.response_list_rows(user=staff_user).filter(assessment=assessment))
    objects = list(selectors.response_list(user=staff_user).filter(assessment=assessment))
    serializer = ResponseSerializer()
    evidence = selectors.response_evidence_ids(response_ids=[row["id"] for row in rows])
    expected = [drf.ModelSerializer.to_representation(serializer, response) for response in objects]
    assert serializer.rows_to_representation(rows, evidence) == expected
    assert {row["status"] for row in expected} == {"completed", "in_progress", "not_started"}
    assert expected[0]["evidence"] == sorted(item.id for item in items)
    assert any(row["updated_by"] is None for row in expected)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2025, 7, 1, 9, 30, 15, 123456, tzinfo=dt.UTC),  # British Summer Time
        dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC),  # GMT: written with Z
        dt.datetime(2025, 3, 30, 0, 59, 59, tzinfo=dt.timezone(dt.timedelta(hours=-5))),  # another zone
        dt.datetime(2025, 6, 1, 12, 0),  # naive: DRF's own handling
        None,
    ],
)
def test_moments_are_written_as_drf_writes_them(value):
    from django.utils import timezone
    from rest_framework import serializers as drf

    from assessments.api.serializers.common import Moments

    moments = Moments()
    expected = drf.DateTimeField(default_timezone=timezone.get_current_timezone()).to_representation(value)
    assert moments(value) == expected
    assert moments(value) == expected  # the second time from what it kept


def test_patching_another_forces_response_is_a_404_recorded_once_and_changes_nothing(
    as_user, other_assessment, staff_user
):
    """The PATCH finds its response and locks it in one statement, inside the save's transaction; a
    response the user may not see is looked up again outside it, so the denied access is recorded (a
    record made inside would be rolled back) — once — and nothing is written."""
    from core.models import AuditEntry

    theirs = other_assessment.responses.order_by("id").first()
    before = AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD).count()
    answer = _patch(as_user("staff"), theirs, {"narrative": "Not mine"}, '"1"')
    assert answer.status_code == 404
    denied = AuditEntry.objects.filter(kind=AuditEntry.Kind.ACCESS_DENIED, object_id=str(theirs.pk))
    assert denied.count() == 1
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD).count() == before
    theirs.refresh_from_db()
    assert (theirs.version, theirs.narrative) == (1, "")
    not_an_id = as_user("staff").patch("/api/v1/responses/abc/", {"narrative": "x"}, format="json", HTTP_IF_MATCH='"1"')
    assert not_an_id.status_code == 404
