"""Fixtures for the workflow API tests: every role (and the other force's), and assessments built in any
state through the services (tests/workflow_support.assessment_in)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Assessment
from core.roles import Role
from tests.api.assessments_api_support import api_client
from tests.conftest import HOME_FORCE, OTHER_FORCE
from tests.workflow_support import assessment_in

#: URL names of the transition endpoints, by workflow action.
URL_NAMES = {
    "submit": "submit",
    "return": "return",
    "respond": "respond",
    "sign_off": "sign-off",
    "publish": "publish",
    "revise": "revise",
}
#: A body each endpoint accepts.
BODIES = {
    "submit": {},
    "return": {"note": "Add the CBRN exercise evidence"},
    "respond": {"statement": "The force meets the SPR, with the gaps noted."},
    "sign_off": {"statement": "I am assured, subject to the actions recorded."},
    "publish": {"note": "For HMIC"},
    "revise": {"note": "New threat assessment"},
}
EVERYONE = ("staff", "chief", "pcc", "inspector", "admin", "other_staff", "other_pcc", "other_chief")
OTHER_FORCE_PEOPLE = ("other_staff", "other_pcc", "other_chief")


@pytest.fixture
def people(staff_user, chief_user, pcc_user, inspector_user, national_admin_user, other_staff_user, make_user):
    return {
        "staff": staff_user,
        "chief": chief_user,
        "pcc": pcc_user,
        "inspector": inspector_user,
        "admin": national_admin_user,
        "other_staff": other_staff_user,
        "other_pcc": make_user(Role.PCC, OTHER_FORCE, "pcc-other"),
        "other_chief": make_user(Role.CHIEF_CONSTABLE, OTHER_FORCE, "chief-other"),
    }


@pytest.fixture
def clients(people):
    return {who: api_client(user) for who, user in people.items()}


@pytest.fixture
def build(people, forces, spr2012):
    """build(state, period="2025/26", force=HOME_FORCE) -> an assessment moved to `state` by its force."""

    def _build(state: str, period: str = "2025/26", force: str = HOME_FORCE) -> Assessment:
        prefix = "" if force == HOME_FORCE else "other_"
        return assessment_in(
            state,
            force=forces[force],
            edition=spr2012,
            staff=people[f"{prefix}staff"],
            chief=people[f"{prefix}chief"],
            pcc=people[f"{prefix}pcc"],
            period=period,
        )

    return _build


def transition_url(assessment, action: str) -> str:
    return reverse(f"api-assessment-{URL_NAMES[action]}", kwargs={"pk": assessment.pk})


def post_action(client, assessment, action: str, body=None):
    return client.post(transition_url(assessment, action), BODIES[action] if body is None else body, format="json")


def detail(assessment) -> str:
    return reverse("api-assessment-detail", kwargs={"pk": assessment.pk})
