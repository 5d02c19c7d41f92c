"""Kent leads an agreement with Essex (both in ERSOU, data/forces_rocu.csv); West Midlands is no party."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from collaboration import services
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
