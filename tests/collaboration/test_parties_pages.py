"""The pages that vary an agreement's parties: "Change parties" on the agreement, the parties page with
"Add a force" and "Remove", the confirmation page; 404 for a force that is no party, 403 for a party
that is not the lead; what a removed force (and the evidence shared under the agreement) becomes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments import sharing
from core.roles import Role
from tests.collaboration.conftest import client_for, party_changes, party_codes
from tests.factories import make_link_evidence

pytestmark = pytest.mark.django_db


def test_the_lead_adds_and_removes_a_force_through_the_pages(ersou, forces, kent_staff):
    kent = client_for(kent_staff)
    parties_url = reverse("collaboration:agreement-parties", args=[ersou.pk])
    detail = kent.get(reverse("collaboration:agreement-detail", args=[ersou.pk])).content.decode()
    assert f'href="{parties_url}">Change<span class="govuk-visually-hidden"> parties</span>' in detail

    page = kent.get(parties_url).content.decode()
    assert "Change the parties" in page and "Add a force" in page
    options = page.split('name="force"')[1].split("</select>")[0]
    assert "Norfolk Constabulary" in options
    assert "Essex Police" not in options and "Kent Police" not in options
    # Essex is the only other party: it cannot be removed yet, and there is no link to try.
    assert "An agreement needs at least one other force" in page
    assert "Remove<span" not in page

    added = kent.post(parties_url, {"force": str(forces["norfolk"].pk), "party_type": "both"}, follow=True)
    body = added.content.decode()
    assert added.redirect_chain == [(parties_url, 302)]
    assert "Norfolk Constabulary has been added to this agreement" in body
    assert 'Remove<span class="govuk-visually-hidden"> Essex Police</span>' in body
    assert 'Remove<span class="govuk-visually-hidden"> Norfolk Constabulary</span>' in body
    assert 'Remove<span class="govuk-visually-hidden"> Kent Police</span>' not in body

    remove_url = reverse("collaboration:agreement-party-remove", args=[ersou.pk, "essex"])
    confirm = kent.get(remove_url).content.decode()
    assert "Are you sure you want to remove Essex Police from this agreement?" in confirm
    assert "Yes, remove Essex Police" in confirm
    assert party_codes(ersou) == ["essex", "kent", "norfolk"]  # looking at the question changes nothing

    removed = kent.post(remove_url, follow=True)
    assert removed.redirect_chain == [(parties_url, 302)]
    assert "Essex Police has been removed from this agreement" in removed.content.decode()
    assert party_codes(ersou) == ["kent", "norfolk"]
    assert len(party_changes()) == 2


def test_the_add_form_shows_an_error_summary_and_writes_nothing(ersou, forces, kent_staff):
    kent = client_for(kent_staff)
    url = reverse("collaboration:agreement-parties", args=[ersou.pk])
    for data, message in (
        ({}, "Select the force to add"),
        ({"force": str(forces["essex"].pk), "party_type": "both"}, "Select a force that is not already a party"),
        ({"force": str(forces["kent"].pk), "party_type": "both"}, "Select a force that is not already a party"),
        ({"force": "not a number", "party_type": "both"}, "Select a force that is not already a party"),
        ({"force": str(forces["norfolk"].pk), "party_type": "everyone"}, "Select who is party to the agreement"),
    ):
        answer = kent.post(url, data)
        body = answer.content.decode()
        assert answer.status_code == 400, data
        assert "<title>Error: " in body and "There is a problem" in body
        assert f'<a href="#id_{"party_type" if "who" in message else "force"}">{message}' in body, data
    assert party_codes(ersou) == ["essex", "kent"]


def test_removing_the_lead_or_the_last_other_force_is_refused_on_the_page(ersou, kent_staff):
    kent = client_for(kent_staff)
    for code, message in (
        ("essex", "An agreement needs at least one other force"),
        ("kent", "You cannot remove the lead force from its agreement"),
    ):
        url = reverse("collaboration:agreement-party-remove", args=[ersou.pk, code])
        question = kent.get(url).content.decode()
        assert message in question and "Yes, remove" not in question
        answer = kent.post(url)
        assert answer.status_code == 400
        assert "<title>Error: " in answer.content.decode() and message in answer.content.decode()
    assert party_codes(ersou) == ["essex", "kent"]


def test_a_force_that_is_no_party_gets_404_and_a_party_that_is_not_the_lead_403(
    with_norfolk, forces, essex_staff, essex_chief, wm_staff, make_user
):
    urls = [
        reverse("collaboration:agreement-parties", args=[with_norfolk.pk]),
        reverse("collaboration:agreement-party-remove", args=[with_norfolk.pk, "norfolk"]),
    ]
    outsider = client_for(wm_staff)
    for url in urls:
        assert outsider.get(url).status_code == 404
        assert outsider.post(url, {"force": str(forces["suffolk"].pk)}).status_code == 404
    kent_chief = make_user(Role.CHIEF_CONSTABLE, "kent", "kent-chief")
    for user in (essex_staff, essex_chief, kent_chief):
        client = client_for(user)
        detail = client.get(reverse("collaboration:agreement-detail", args=[with_norfolk.pk])).content.decode()
        assert urls[0] not in detail and "Change this agreement" not in detail
        for url in urls:
            assert client.get(url).status_code == 403
            assert client.post(url, {"force": str(forces["suffolk"].pk)}).status_code == 403
    # A party the lead force has not got is not found, even by the lead.
    missing = reverse("collaboration:agreement-party-remove", args=[with_norfolk.pk, "suffolk"])
    assert client_for(with_norfolk.created_by).get(missing).status_code == 404
    assert party_codes(with_norfolk) == ["essex", "kent", "norfolk"]


def test_a_removed_force_no_longer_sees_the_agreement(with_norfolk, kent_staff, essex_staff):
    essex = client_for(essex_staff)
    assert essex.get(reverse("collaboration:agreement-detail", args=[with_norfolk.pk])).status_code == 200
    client_for(kent_staff).post(reverse("collaboration:agreement-party-remove", args=[with_norfolk.pk, "essex"]))
    assert essex.get(reverse("collaboration:agreement-detail", args=[with_norfolk.pk])).status_code == 404
    assert essex.get(reverse("api-agreement-detail", args=[with_norfolk.pk])).status_code == 404
    assert essex.get(reverse("api-agreement-list")).json()["count"] == 0
    assert "ERSOU" not in essex.get(reverse("collaboration:agreement-list")).content.decode()


def test_evidence_shared_under_the_agreement_stays_as_its_owner_shared_it(
    with_norfolk, forces, kent_staff, essex_staff, norfolk_staff
):
    """Sharing under an agreement copies its parties into the item's `shared_with` when shared, and
    only the owning force changes it (assessments/sharing.py). Removing a party changes no evidence:
    the removed force's items stay readable by the parties they were shared with, and it keeps
    managing them; what others shared with it stays until they withdraw it."""
    essex_item = make_link_evidence(user=essex_staff, force=forces["essex"], title="Essex surveillance return")
    sharing.evidence_share(user=essex_staff, evidence=essex_item, agreement=with_norfolk)
    kent_item = make_link_evidence(user=kent_staff, force=forces["kent"], title="ERSOU tasking report")
    sharing.evidence_share(user=kent_staff, evidence=kent_item, agreement=with_norfolk)

    client_for(kent_staff).post(reverse("collaboration:agreement-party-remove", args=[with_norfolk.pk, "essex"]))

    kent = client_for(kent_staff)
    page = kent.get(reverse("collaboration:agreement-detail", args=[with_norfolk.pk])).content.decode()
    assert "Essex surveillance return" in page and "(from Essex Police)" in page
    assert kent.get(reverse("assessments:evidence-detail", args=[essex_item.pk])).status_code == 200
    norfolk = client_for(norfolk_staff)
    assert norfolk.get(reverse("assessments:evidence-detail", args=[essex_item.pk])).status_code == 200

    # Essex still reads and manages its own item, which says what it was shared under...
    essex = client_for(essex_staff)
    own = essex.get(reverse("assessments:evidence-detail", args=[essex_item.pk]))
    assert (
        own.status_code == 200 and "Shared under the agreement ‘ERSOU collaboration agreement’" in own.content.decode()
    )
    # ...still reads what Kent shared with it while it was a party...
    assert essex.get(reverse("assessments:evidence-detail", args=[kent_item.pk])).status_code == 200
    # ...and withdraws its own sharing as before.
    assert essex.post(reverse("assessments:evidence-unshare", args=[essex_item.pk])).status_code == 302
    assert kent.get(reverse("assessments:evidence-detail", args=[essex_item.pk])).status_code == 404
    assert (
        "Essex surveillance return"
        not in kent.get(reverse("collaboration:agreement-detail", args=[with_norfolk.pk])).content.decode()
    )


def test_the_parties_page_runs_a_bounded_number_of_queries(large_agreement, kent_staff, django_assert_max_num_queries):
    kent = client_for(kent_staff)
    with django_assert_max_num_queries(8):
        page = kent.get(reverse("collaboration:agreement-parties", args=[large_agreement.pk]))
    assert page.status_code == 200
    # Every other party may be removed, each named for screen readers.
    assert page.content.decode().count("Remove<span") == large_agreement.parties.count() - 1
