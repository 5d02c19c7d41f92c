"""Departures and actions through the API: create, list, change, and the same refusals as the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import Action, Assessment, AssessmentStatus, Departure
from tests.api.assessments_api_support import (
    api_client,
    make_action,
    make_assessment,
    make_departure,
    make_reference_evidence,
)
from tests.conftest import HOME_FORCE, OTHER_FORCE

DEPARTURE = {
    "requirement": "4.1(c)",
    "departing_party": "both",
    "circumstances": "Covered by the regional unit",
    "reasons": "Duplication",
    "alternative_arrangements": "Collaboration agreement",
    "residual_risk": "Low",
    "review_date": "2099-03-31",
}
ACTION = {
    "requirement": "3.1(a)",
    "gap": "No exercise",
    "description": "Run one",
    "owner": "Ops",
    "due_date": "2099-01-31",
}


@pytest.fixture
def assessment(staff_user, forces, spr2012) -> Assessment:
    return make_assessment(staff_user, forces[HOME_FORCE], spr2012)


@pytest.fixture
def staff(staff_user):
    return api_client(staff_user)


def test_departure_create_and_change(staff, assessment, staff_user, forces):
    evidence = make_reference_evidence(staff_user, forces[HOME_FORCE])
    answer = staff.post(
        reverse("api-departure-list"),
        {**DEPARTURE, "assessment": assessment.pk, "evidence": [evidence.pk]},
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["requirement"] == "4.1(c)"
    assert body["status"] == "live"
    assert body["evidence"] == [evidence.pk]
    assert body["created_by"] == "staff-home"
    assert body["review_overdue"] is False
    url = reverse("api-departure-detail", kwargs={"pk": body["id"]})
    changed = staff.patch(url, {"status": "withdrawn", "requirement": "6.4", "evidence": []}, format="json")
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["status"], changed.json()["requirement"], changed.json()["evidence"]) == (
        "withdrawn",
        "6.4",
        [],
    )


def test_departure_refusals_write_nothing(staff, assessment, other_staff_user, forces, spr2012):
    theirs = make_reference_evidence(other_staff_user, forces[OTHER_FORCE], "Kent plan")
    kent = make_assessment(other_staff_user, forces[OTHER_FORCE], spr2012)
    url = reverse("api-departure-list")
    cases = [
        ({**DEPARTURE, "assessment": assessment.pk, "evidence": [theirs.pk]}, "evidence"),
        ({**DEPARTURE, "assessment": kent.pk}, "assessment"),
        ({**DEPARTURE, "assessment": assessment.pk, "requirement": "9.9(z)"}, "requirement"),
        ({**DEPARTURE, "assessment": assessment.pk, "departing_party": "mayor"}, "departing_party"),
        ({**DEPARTURE, "assessment": assessment.pk, "review_date": "31/03/2026"}, "review_date"),
        ({**DEPARTURE, "assessment": assessment.pk, "reasons": ""}, "reasons"),
        ({**DEPARTURE, "assessment": assessment.pk, "created_by": 1}, "created_by"),
        ({**DEPARTURE}, "assessment"),
    ]
    for data, field in cases:
        answer = staff.post(url, data, format="json")
        assert answer.status_code == 400, data
        assert field in answer.json(), (data, answer.json())
    assert Departure.objects.count() == 0


def test_departure_patch_refuses_moving_assessment_and_foreign_evidence(
    staff, assessment, staff_user, other_staff_user, forces
):
    departure = make_departure(staff_user, assessment)
    theirs = make_reference_evidence(other_staff_user, forces[OTHER_FORCE], "Kent plan")
    url = reverse("api-departure-detail", kwargs={"pk": departure.pk})
    assert "assessment" in staff.patch(url, {"assessment": assessment.pk}, format="json").json()
    refused = staff.patch(url, {"reasons": "Changed", "evidence": [theirs.pk]}, format="json")
    assert refused.status_code == 400
    stored = Departure.objects.get(pk=departure.pk)
    assert stored.reasons == "Cost"
    assert list(stored.evidence.all()) == []


def test_action_create_change_and_overdue(staff, assessment, staff_user):
    answer = staff.post(reverse("api-action-list"), {**ACTION, "assessment": assessment.pk}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["status"] == "open"
    assert answer.json()["overdue"] is False
    late = make_action(staff_user, assessment, "6.4", due_date=dt.date(2020, 1, 1))
    done = make_action(staff_user, assessment, "6.5", due_date=dt.date(2020, 1, 1), status="done")
    listing = staff.get(reverse("api-action-list"), {"assessment": assessment.pk, "overdue": "true"}).json()
    assert [row["id"] for row in listing["results"]] == [late.pk]
    assert listing["results"][0]["overdue"] is True
    not_overdue = staff.get(reverse("api-action-list"), {"overdue": "false"}).json()["results"]
    assert done.pk in [row["id"] for row in not_overdue]
    url = reverse("api-action-detail", kwargs={"pk": late.pk})
    changed = staff.patch(url, {"status": "done"}, format="json")
    assert changed.status_code == 200
    assert changed.json()["overdue"] is False
    assert staff.patch(url, {"status": "finished"}, format="json").status_code == 400
    assert staff.patch(url, {"due_date": 20260101}, format="json").status_code == 400
    assert staff.patch(url, {"overdue": False}, format="json").status_code == 400
    assert Action.objects.get(pk=late.pk).status == "done"


def test_records_of_a_submitted_assessment_cannot_change(staff, assessment, staff_user):
    action = make_action(staff_user, assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.SUBMITTED)
    answer = staff.patch(reverse("api-action-detail", kwargs={"pk": action.pk}), {"owner": "New"}, format="json")
    assert answer.status_code == 409
    assert "submitted" in answer.json()["detail"]
    created = staff.post(reverse("api-action-list"), {**ACTION, "assessment": assessment.pk}, format="json")
    assert created.status_code == 409
    assert Action.objects.get(pk=action.pk).owner == "Superintendent, operations"
    assert Action.objects.count() == 1


def test_records_readers_cannot_write(chief_user, pcc_user, inspector_user, assessment, staff_user):
    action = make_action(staff_user, assessment)
    # HMIC cannot see a draft: its id does not exist for them.
    inspector = api_client(inspector_user)
    refused = inspector.post(reverse("api-action-list"), {**ACTION, "assessment": assessment.pk}, format="json")
    assert "assessment" in refused.json()
    url = reverse("api-action-detail", kwargs={"pk": action.pk})
    assert inspector.patch(url, {"owner": "x"}, format="json").status_code == 404
    for user in (chief_user, pcc_user):
        client = api_client(user)
        assert (
            client.post(reverse("api-action-list"), {**ACTION, "assessment": assessment.pk}, format="json").status_code
            == 403
        )
        assert (
            client.post(
                reverse("api-departure-list"), {**DEPARTURE, "assessment": assessment.pk}, format="json"
            ).status_code
            == 403
        )
        assert (
            client.patch(
                reverse("api-action-detail", kwargs={"pk": action.pk}), {"owner": "x"}, format="json"
            ).status_code
            == 403
        )
    assert Action.objects.count() == 1
    assert Departure.objects.count() == 0


@pytest.mark.parametrize("basename", ["api-departure", "api-action"])
def test_record_list_queries_do_not_grow(
    staff, assessment, staff_user, forces, basename, django_assert_max_num_queries
):
    make = make_departure if basename == "api-departure" else make_action
    evidence = [make_reference_evidence(staff_user, forces[HOME_FORCE], f"E{i}") for i in range(3)]
    refs = ["3.1(a)", "3.1(b)", "3.1(c)", "3.3", "3.4", "4.1(a)", "4.1(b)", "4.2", "5.2", "6.1"]
    make(staff_user, assessment, refs[0])
    url = reverse(f"{basename}-list")
    # session, user, roles, memberships, count, page and (departures) their evidence.
    with django_assert_max_num_queries(7) as one:
        assert staff.get(url).json()["count"] == 1
    for ref in refs[1:]:
        record = make(staff_user, assessment, ref)
        if basename == "api-departure":
            record.evidence.set(evidence)
    with django_assert_max_num_queries(7) as ten:
        assert staff.get(url).json()["count"] == 10
    assert len(ten) == len(one)


def test_action_due_date_in_the_past_is_refused_but_a_recorded_one_may_stay(staff, staff_user, assessment):
    refused = staff.post(
        reverse("api-action-list"), {**ACTION, "assessment": assessment.pk, "due_date": "2020-01-01"}, format="json"
    )
    assert refused.status_code == 400
    assert "Due date must be today or in the future" in str(refused.json())
    late = make_action(staff_user, assessment, "6.4", due_date=dt.date(2020, 1, 1))
    url = reverse("api-action-detail", args=[late.pk])
    assert staff.patch(url, {"status": "done", "due_date": "2020-01-01"}, format="json").status_code == 200
    assert staff.patch(url, {"due_date": "2020-02-01"}, format="json").status_code == 400
