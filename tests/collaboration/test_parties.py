"""The lead force varies an agreement's parties (collaboration.services): a force joins (unconfirmed
until its own staff confirm) or leaves; the lead force's party and the last other party stay; every
change is audited. Kent leads ERSOU with Essex; Norfolk joins."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collaboration import services
from collaboration.models import PartyType
from core.audit import audit_verify
from forces.models import Force
from tests.collaboration.conftest import client_for, party_changes, party_codes

pytestmark = pytest.mark.django_db


def test_agreement_add_party_adds_an_unconfirmed_party_and_audits_it(ersou, forces, kent_staff, norfolk_staff):
    party = services.agreement_add_party(
        user=kent_staff, agreement=ersou, force=forces["norfolk"], party_type=PartyType.CHIEF_CONSTABLE
    )
    assert party_codes(ersou) == ["essex", "kent", "norfolk"]
    assert not party.is_confirmed
    assert party.party_type == PartyType.CHIEF_CONSTABLE and party.policing_body is None
    assert party_changes() == [[["essex", "kent"], ["essex", "kent", "norfolk"]]]
    assert audit_verify().intact
    # Norfolk's staff now see it and are asked to confirm their part, as any party is.
    norfolk = client_for(norfolk_staff)
    assert "ERSOU collaboration agreement" in norfolk.get(reverse("collaboration:agreement-list")).content.decode()
    assert "Confirm a collaboration agreement" in norfolk.get(reverse("home")).content.decode()
    services.agreement_confirm(user=norfolk_staff, party=party)


def test_agreement_add_party_names_its_policing_body_when_it_is_one(ersou, forces, kent_staff):
    party = services.agreement_add_party(user=kent_staff, agreement=ersou, force=forces["norfolk"])
    assert party.party_type == PartyType.BOTH
    assert party.policing_body.name == "Norfolk Police and Crime Commissioner"


def test_agreement_add_party_refuses_the_lead_a_party_and_an_unknown_force(ersou, forces, kent_staff):
    refusals = {
        "kent": "Kent Police leads this agreement: select another force",
        "essex": "Essex Police is already a party to this agreement",
    }
    for code, message in refusals.items():
        with pytest.raises(ValidationError) as caught:
            services.agreement_add_party(user=kent_staff, agreement=ersou, force=forces[code])
        assert caught.value.message_dict == {"force": [message]}
    with pytest.raises(ValidationError) as caught:
        services.agreement_add_party(user=kent_staff, agreement=ersou, force=Force(code="atlantis", name="Atlantis"))
    assert caught.value.message_dict == {"force": ["Select a force from the list"]}
    assert party_codes(ersou) == ["essex", "kent"]
    assert party_changes() == []


def test_only_the_lead_forces_staff_change_the_parties(with_norfolk, forces, essex_staff, essex_chief, wm_staff):
    essex_party = with_norfolk.parties.get(force__code="essex")
    for user in (essex_staff, essex_chief, wm_staff):
        with pytest.raises(PermissionDenied):
            services.agreement_add_party(user=user, agreement=with_norfolk, force=forces["suffolk"])
        with pytest.raises(PermissionDenied):
            services.agreement_remove_party(user=user, agreement=with_norfolk, party=essex_party)
    assert party_codes(with_norfolk) == ["essex", "kent", "norfolk"]


def test_a_national_administrator_may_change_the_parties(ersou, forces, national_admin_user):
    services.agreement_add_party(user=national_admin_user, agreement=ersou, force=forces["suffolk"])
    assert party_codes(ersou) == ["essex", "kent", "suffolk"]


def test_agreement_remove_party_removes_and_audits_it(with_norfolk, kent_staff):
    services.agreement_remove_party(
        user=kent_staff, agreement=with_norfolk, party=with_norfolk.parties.get(force__code="essex")
    )
    assert party_codes(with_norfolk) == ["kent", "norfolk"]
    assert party_changes()[-1] == [["essex", "kent", "norfolk"], ["kent", "norfolk"]]
    assert audit_verify().intact


def test_agreement_remove_party_refuses_the_lead_and_the_last_other_force(ersou, kent_staff):
    cases = {
        "kent": "You cannot remove the lead force from its agreement",
        "essex": "An agreement needs at least one other force",
    }
    for code, message in cases.items():
        with pytest.raises(ValidationError) as caught:
            services.agreement_remove_party(user=kent_staff, agreement=ersou, party=ersou.parties.get(force__code=code))
        assert caught.value.message_dict == {"party": [message]}
    assert party_codes(ersou) == ["essex", "kent"]
    assert party_changes() == []


def test_agreement_remove_party_refuses_a_party_of_another_agreement(ersou, forces, kent_staff):
    other = services.agreement_create(
        user=kent_staff,
        lead_force=forces["kent"],
        title="Another agreement",
        statutory_basis="s22a",
        partners=[forces["norfolk"], forces["suffolk"]],
        start_date=ersou.start_date,
    )
    with pytest.raises(ValidationError):
        services.agreement_remove_party(
            user=kent_staff, agreement=ersou, party=other.parties.get(force__code="norfolk")
        )
    assert party_codes(other) == ["kent", "norfolk", "suffolk"]
