"""Kent leads an agreement with Essex (both in ERSOU, data/forces_rocu.csv); West Midlands is no party;
Norfolk joins it where a test says so."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from collaboration import services
from core.models import AuditEntry
from core.roles import Role


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def kent_staff(make_user):
    return make_user(Role.PCC_STAFF, "kent", "kent-staff")


@pytest.fixture
def essex_staff(make_user):
    return make_user(Role.PCC_STAFF, "essex", "essex-staff")


@pytest.fixture
def essex_chief(make_user):
    return make_user(Role.CHIEF_CONSTABLE, "essex", "essex-chief")


@pytest.fixture
def wm_staff(make_user):
    return make_user(Role.PCC_STAFF, "west-midlands", "wm-staff")


@pytest.fixture
def ersou(forces, spr2012, kent_staff):
    """Kent's agreement with Essex, delivering 4.1(c) of the 2012 edition."""
    return services.agreement_create(
        user=kent_staff,
        lead_force=forces["kent"],
        title="ERSOU collaboration agreement",
        statutory_basis="s22a",
        partners=[forces["essex"]],
        requirements=list(spr2012.requirements.filter(ref__in=["4.1(c)", "6.4"])),
        start_date=dt.date(2024, 4, 1),
        review_date=dt.date(2025, 3, 31),
    )


def party_changes() -> list:
    """The `parties: [before, after]` of every audited change to an agreement, oldest first."""
    return [
        entry.changes["parties"]
        for entry in AuditEntry.objects.filter(
            kind=AuditEntry.Kind.RECORD, model="collaboration.agreement", action=AuditEntry.Action.CHANGED
        ).order_by("id")
        if "parties" in entry.changes
    ]


def party_codes(agreement) -> list[str]:
    return sorted(agreement.parties.values_list("force__code", flat=True))


@pytest.fixture
def norfolk_staff(make_user):
    return make_user(Role.PCC_STAFF, "norfolk", "norfolk-staff")


@pytest.fixture
def with_norfolk(ersou, forces, kent_staff):
    """ERSOU once Norfolk has joined: Kent (lead), Essex and Norfolk."""
    services.agreement_add_party(user=kent_staff, agreement=ersou, force=forces["norfolk"])
    return ersou


@pytest.fixture
def large_agreement(forces, kent_staff, make_user):
    """Kent leads five other forces, each of which has confirmed its part (a confirmer each)."""
    partners = [forces[code] for code in ("essex", "norfolk", "suffolk", "hertfordshire", "west-midlands")]
    agreement = services.agreement_create(
        user=kent_staff,
        lead_force=forces["kent"],
        title="A large agreement",
        statutory_basis="s22a",
        partners=partners,
        start_date=dt.date(2024, 4, 1),
    )
    for party in agreement.parties.exclude(force=forces["kent"]):
        services.agreement_confirm(
            user=make_user(Role.PCC_STAFF, party.force.code, f"confirmer-{party.force.code}"), party=party
        )
    return agreement
