"""Collaboration agreements: recorded by the lead force, confirmed by each party, seen by parties
only (and national roles), on pages and through the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaboration import services
from collaboration.models import Agreement
from core.models import AuditEntry
from tests.collaboration.conftest import client_for

pytestmark = pytest.mark.django_db


def test_agreement_create_confirms_the_lead_force_and_waits_for_the_others(ersou, kent_staff):
    parties = {party.force.code: party for party in ersou.parties.all()}
    assert set(parties) == {"kent", "essex"}
    assert parties["kent"].is_confirmed and parties["kent"].confirmed_by == kent_staff
    assert not parties["essex"].is_confirmed
    # Both are "chief constable and policing body" parties: the current policing body is named.
    assert parties["essex"].policing_body.name.startswith("Essex")
    assert sorted(ersou.requirements.values_list("ref", flat=True)) == ["4.1(c)", "6.4"]
    entry = AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model="collaboration.agreement").get()
    assert entry.changes["parties"] == [None, ["essex", "kent"]]


def test_agreement_needs_another_party_and_a_known_basis(forces, kent_staff):
    with pytest.raises(ValidationError) as caught:
        services.agreement_create(
            user=kent_staff,
            lead_force=forces["kent"],
            title="Alone",
            statutory_basis="other",
            partners=[forces["kent"]],
            start_date=dt.date(2025, 4, 1),
            review_date=dt.date(2025, 1, 1),
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"partners", "statutory_basis_other", "review_date"}
    assert not Agreement.objects.exists()


def test_only_the_lead_forces_staff_record_and_change_an_agreement(forces, ersou, essex_staff, wm_staff):
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            user=wm_staff,
            lead_force=forces["kent"],
            title="Not mine",
            statutory_basis="s22a",
            partners=[forces["essex"]],
            start_date=dt.date(2025, 4, 1),
        )
    with pytest.raises(PermissionDenied):
        services.agreement_update(user=essex_staff, agreement=ersou, title="Renamed by a partner")
    ersou.refresh_from_db()
    assert ersou.title == "ERSOU collaboration agreement"


def test_a_party_confirms_its_own_part_once(ersou, essex_chief, kent_staff):
    essex = ersou.parties.get(force__code="essex")
    with pytest.raises(PermissionDenied):
        services.agreement_confirm(user=kent_staff, party=essex)
    services.agreement_confirm(user=essex_chief, party=essex)
    essex.refresh_from_db()
    assert essex.confirmed_by == essex_chief
    with pytest.raises(PermissionDenied):
        services.agreement_confirm(user=essex_chief, party=essex)


def test_the_register_shows_parties_their_agreements_and_flags_overdue_reviews(ersou, essex_staff, wm_staff):
    page = client_for(essex_staff).get(reverse("collaboration:agreement-list"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "ERSOU collaboration agreement" in body
    assert "Review overdue" in body  # reviewed by 31 March 2025, long past
    assert "Essex Police (not yet confirmed)" in body
    other = client_for(wm_staff).get(reverse("collaboration:agreement-list")).content.decode()
    assert "ERSOU" not in other


def test_another_force_gets_404_on_the_agreement_pages_and_api(ersou, wm_staff):
    client = client_for(wm_staff)
    assert client.get(reverse("collaboration:agreement-detail", args=[ersou.pk])).status_code == 404
    assert client.post(reverse("collaboration:agreement-confirm", args=[ersou.pk])).status_code == 404
    assert client.get(reverse("api-agreement-detail", args=[ersou.pk])).status_code == 404
    assert client.get(reverse("api-agreement-list")).json()["count"] == 0


def test_a_party_confirms_from_the_detail_page(ersou, essex_staff):
    client = client_for(essex_staff)
    page = client.get(reverse("collaboration:agreement-detail", args=[ersou.pk])).content.decode()
    assert "Confirm this agreement" in page
    assert "Waiting for confirmation" in page
    answer = client.post(reverse("collaboration:agreement-confirm", args=[ersou.pk]), follow=True)
    body = answer.content.decode()
    assert "You have confirmed Essex Police" in body
    assert "Confirm this agreement" not in body
    assert client.post(reverse("collaboration:agreement-confirm", args=[ersou.pk])).status_code == 403


def test_the_create_form_records_an_agreement(forces, spr2012, kent_staff):
    client = client_for(kent_staff)
    assert "Record a collaboration agreement" in client.get(reverse("collaboration:agreement-create")).content.decode()
    answer = client.post(
        reverse("collaboration:agreement-create"),
        {
            "title": "Eastern region surveillance",
            "statutory_basis": "s22a",
            "partners": [str(forces["essex"].pk), str(forces["norfolk"].pk)],
            "edition": str(spr2012.pk),
            "requirements": "4.1(c), 6.4",
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2025",
            "review_date_day": "31",
            "review_date_month": "3",
            "review_date_year": "2030",
        },
    )
    agreement = Agreement.objects.get(title="Eastern region surveillance")
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "collaboration:agreement-detail", args=[agreement.pk]
    )
    assert sorted(agreement.parties.values_list("force__code", flat=True)) == ["essex", "kent", "norfolk"]


def test_the_create_form_shows_gds_errors_and_writes_nothing(forces, spr2012, kent_staff):
    answer = client_for(kent_staff).post(
        reverse("collaboration:agreement-create"),
        {"title": "", "statutory_basis": "", "edition": str(spr2012.pk), "requirements": "9.9"},
    )
    body = answer.content.decode()
    assert answer.status_code == 400
    assert "<title>Error: " in body
    assert "There is a problem" in body
    for message in ("Enter a title", "Select the statutory basis", "Select at least one other force", "9.9"):
        assert message in body
    assert not Agreement.objects.exists()


def test_force_roles_without_staff_rights_cannot_open_the_create_form(essex_chief):
    assert client_for(essex_chief).get(reverse("collaboration:agreement-create")).status_code == 403


def test_api_creates_lists_and_confirms(forces, spr2012, kent_staff, essex_staff):
    kent = client_for(kent_staff)
    answer = kent.post(
        reverse("api-agreement-list"),
        {
            "title": "ERSOU",
            "statutory_basis": "s22a",
            "parties": ["essex"],
            "requirements": ["4.1(c)"],
            "start_date": "2024-04-01",
            "review_date": "2027-03-31",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    data = answer.json()
    assert data["lead_force"] == "kent"
    assert data["requirements"] == [{"edition": "spr-2012", "ref": "4.1(c)"}]
    assert {p["force"]: p["confirmed"] for p in data["parties"]} == {"essex": False, "kent": True}
    essex = client_for(essex_staff)
    assert essex.get(reverse("api-agreement-list")).json()["count"] == 1
    confirmed = essex.post(reverse("api-agreement-confirm", args=[data["id"]]))
    assert confirmed.status_code == 200
    assert all(p["confirmed"] for p in confirmed.json()["parties"])


def test_api_refuses_bad_input_and_writes_nothing(forces, kent_staff):
    kent = client_for(kent_staff)
    for body in (
        {"title": "x", "statutory_basis": "s22a", "parties": ["atlantis"], "start_date": "2024-04-01"},
        {"title": "x", "statutory_basis": "s22a", "parties": ["essex"], "start_date": "not a date"},
        {"title": "x", "statutory_basis": "s22a", "parties": [], "start_date": "2024-04-01"},
        {"title": "x", "statutory_basis": "s22a", "parties": ["essex"], "start_date": "2024-04-01", "x": 1},
        {
            "title": "x",
            "statutory_basis": "s22a",
            "parties": ["essex"],
            "requirements": ["99.9"],
            "start_date": "2024-04-01",
        },
    ):
        assert kent.post(reverse("api-agreement-list"), body, content_type="application/json").status_code == 400
    assert kent.post(reverse("api-agreement-list"), "{", content_type="application/json").status_code == 400
    assert not Agreement.objects.exists()


def test_inspectors_read_every_agreement_but_record_none(ersou, inspector_client):
    assert inspector_client.get(reverse("api-agreement-list")).json()["count"] == 1
    assert inspector_client.get(reverse("collaboration:agreement-detail", args=[ersou.pk])).status_code == 200
    answer = inspector_client.post(
        reverse("api-agreement-list"),
        {
            "lead_force": "kent",
            "title": "x",
            "statutory_basis": "s22a",
            "parties": ["essex"],
            "start_date": "2024-04-01",
        },
        content_type="application/json",
    )
    assert answer.status_code == 403


def test_register_and_api_list_run_a_constant_number_of_queries(
    forces, spr2012, kent_staff, django_assert_max_num_queries
):
    for n in range(6):
        services.agreement_create(
            user=kent_staff,
            lead_force=forces["kent"],
            title=f"Agreement {n}",
            statutory_basis="s22a",
            partners=[forces["essex"], forces["norfolk"], forces["suffolk"]],
            requirements=list(spr2012.requirements.filter(ref__in=["6.4"])),
            start_date=dt.date(2024, 4, 1),
        )
    client = client_for(kent_staff)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("collaboration:agreement-list")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("api-agreement-list")).json()["count"] == 6


def test_the_lead_force_changes_an_agreement_and_the_change_is_audited(ersou, kent_staff, essex_staff):
    kent = client_for(kent_staff)
    url = reverse("collaboration:agreement-edit", args=[ersou.pk])
    form = kent.get(url).content.decode()
    assert "Change a collaboration agreement" in form and 'value="4.1(c), 6.4"' in form
    answer = kent.post(
        url,
        {
            "title": "ERSOU agreement (2025 revision)",
            "statutory_basis": "s22a",
            "edition": str(ersou.requirements.first().edition_id),
            "requirements": "4.1(c)",
            "start_date_day": "1",
            "start_date_month": "4",
            "start_date_year": "2024",
            "review_date_day": "31",
            "review_date_month": "3",
            "review_date_year": "2030",
        },
    )
    assert answer.status_code == 302
    ersou.refresh_from_db()
    assert ersou.title == "ERSOU agreement (2025 revision)" and not ersou.is_review_overdue
    assert list(ersou.requirements.values_list("ref", flat=True)) == ["4.1(c)"]
    change = AuditEntry.objects.filter(model="collaboration.agreement", action=AuditEntry.Action.CHANGED).get()
    assert change.changes["requirements"] == [["4.1(c)", "6.4"], ["4.1(c)"]]
    # A party reads the agreement but may not change it: no link, and the page refuses.
    essex = client_for(essex_staff)
    assert (
        "Change this agreement"
        not in essex.get(reverse("collaboration:agreement-detail", args=[ersou.pk])).content.decode()
    )
    assert essex.get(url).status_code == 403
    assert essex.post(url, {"title": "Taken over"}).status_code == 403
    ersou.refresh_from_db()
    assert ersou.title == "ERSOU agreement (2025 revision)"


def test_the_home_page_asks_a_party_to_confirm(ersou, essex_staff, wm_staff):
    page = client_for(essex_staff).get(reverse("home")).content.decode()
    assert "Confirm a collaboration agreement" in page and "ERSOU collaboration agreement" in page
    assert "Confirm a collaboration agreement" not in client_for(wm_staff).get(reverse("home")).content.decode()


def test_api_lead_force_changes_an_agreement_and_a_party_is_refused(ersou, kent_staff, essex_staff, wm_staff):
    url = reverse("api-agreement-detail", args=[ersou.pk])
    changed = client_for(kent_staff).patch(
        url, {"review_date": "2030-03-31", "requirements": ["6.4"]}, content_type="application/json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["review_overdue"] is False
    assert changed.json()["requirements"] == [{"edition": "spr-2012", "ref": "6.4"}]
    assert (
        client_for(kent_staff).patch(url, {"lead_force": "essex"}, content_type="application/json").status_code == 400
    )
    assert client_for(essex_staff).patch(url, {"title": "x"}, content_type="application/json").status_code == 403
    assert client_for(wm_staff).patch(url, {"title": "x"}, content_type="application/json").status_code == 404
    ersou.refresh_from_db()
    assert ersou.title == "ERSOU collaboration agreement"
