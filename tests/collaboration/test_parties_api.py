"""The API that varies an agreement's parties: `POST /api/v1/agreements/{id}/parties/` (201) and
`DELETE /api/v1/agreements/{id}/parties/{force code}/` (204), their 400, 403 and 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collaboration.models import AgreementParty
from tests.collaboration.conftest import client_for, party_changes, party_codes

pytestmark = pytest.mark.django_db


def test_api_adds_lists_and_removes_a_party(ersou, kent_staff):
    kent = client_for(kent_staff)
    url = reverse("api-agreement-parties", args=[ersou.pk])
    added = kent.post(url, {"force": "norfolk", "party_type": "chief_constable"}, content_type="application/json")
    assert added.status_code == 201, added.json()
    assert added.json() == {
        "force": "norfolk",
        "party_type": "chief_constable",
        "policing_body": None,
        "confirmed": False,
        "confirmed_by": None,
        "confirmed_at": None,
    }
    assert added["Location"].endswith(reverse("api-agreement-party", args=[ersou.pk, "norfolk"]))
    assert [party["force"] for party in kent.get(url).json()] == ["essex", "kent", "norfolk"]
    essex = reverse("api-agreement-party", args=[ersou.pk, "essex"])
    assert kent.get(essex).json()["force"] == "essex"
    assert kent.delete(essex).status_code == 204
    assert kent.get(essex).status_code == 404
    assert [
        party["force"] for party in kent.get(reverse("api-agreement-detail", args=[ersou.pk])).json()["parties"]
    ] == [
        "kent",
        "norfolk",
    ]
    assert party_changes() == [
        [["essex", "kent"], ["essex", "kent", "norfolk"]],
        [["essex", "kent", "norfolk"], ["kent", "norfolk"]],
    ]


def test_api_refuses_bad_input_with_field_errors_and_writes_nothing(ersou, kent_staff):
    kent = client_for(kent_staff)
    url = reverse("api-agreement-parties", args=[ersou.pk])
    for body, field in (
        ({"force": "atlantis"}, "force"),
        ({"force": "kent"}, "force"),
        ({"force": "essex"}, "force"),
        ({}, "force"),
        ({"force": "norfolk", "party_type": "everyone"}, "party_type"),
        ({"force": "norfolk", "confirmed": True}, "confirmed"),
    ):
        answer = kent.post(url, body, content_type="application/json")
        assert answer.status_code == 400, body
        assert field in answer.json(), (body, answer.json())
    for malformed in ("{", "[1, 2]", '"norfolk"'):
        assert kent.post(url, malformed, content_type="application/json").status_code == 400
    for code, message in (
        ("kent", "You cannot remove the lead force from its agreement"),
        ("essex", "An agreement needs at least one other force"),
    ):
        answer = kent.delete(reverse("api-agreement-party", args=[ersou.pk, code]))
        assert answer.status_code == 400 and answer.json() == {"party": [message]}
    assert party_codes(ersou) == ["essex", "kent"]
    assert party_changes() == []


def test_api_answers_403_to_a_party_that_is_not_the_lead_and_404_to_another_force(with_norfolk, essex_staff, wm_staff):
    add = reverse("api-agreement-parties", args=[with_norfolk.pk])
    remove = reverse("api-agreement-party", args=[with_norfolk.pk, "norfolk"])
    essex = client_for(essex_staff)
    assert essex.get(add).status_code == 200  # a party reads the parties
    assert essex.post(add, {"force": "suffolk"}, content_type="application/json").status_code == 403
    assert essex.post(add, "{", content_type="application/json").status_code == 403  # refused before reading
    assert essex.delete(remove).status_code == 403
    outsider = client_for(wm_staff)
    assert outsider.get(add).status_code == 404
    assert outsider.post(add, {"force": "suffolk"}, content_type="application/json").status_code == 404
    assert outsider.get(remove).status_code == 404
    assert outsider.delete(remove).status_code == 404
    # The lead force removing a force that is no party: not found.
    kent = client_for(with_norfolk.created_by)
    assert kent.delete(reverse("api-agreement-party", args=[with_norfolk.pk, "suffolk"])).status_code == 404
    assert AgreementParty.objects.filter(agreement=with_norfolk).count() == 3


def test_a_removed_force_gets_404_on_the_api(with_norfolk, kent_staff, essex_staff):
    essex = client_for(essex_staff)
    assert essex.get(reverse("api-agreement-parties", args=[with_norfolk.pk])).status_code == 200
    removed = client_for(kent_staff).delete(reverse("api-agreement-party", args=[with_norfolk.pk, "essex"]))
    assert removed.status_code == 204
    for url in (
        reverse("api-agreement-detail", args=[with_norfolk.pk]),
        reverse("api-agreement-parties", args=[with_norfolk.pk]),
        reverse("api-agreement-party", args=[with_norfolk.pk, "norfolk"]),
    ):
        assert essex.get(url).status_code == 404, url
    assert essex.get(reverse("api-agreement-list")).json()["count"] == 0


def test_the_api_parties_list_runs_a_bounded_number_of_queries(
    large_agreement, kent_staff, django_assert_max_num_queries
):
    kent = client_for(kent_staff)
    with django_assert_max_num_queries(8):
        answer = kent.get(reverse("api-agreement-parties", args=[large_agreement.pk]))
    assert [party["confirmed"] for party in answer.json()] == [True] * 6
