"""An HMIC workspace for Kent: an inspector's evidence request and finding, Kent's evidence and an
action, and West Midlands (the home force of tests/conftest.py) as the force that must see none of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments import services as assessment_services
from inspection import services
from tests.factories import make_assessment, make_link_evidence


@pytest.fixture
def kent(forces):
    return forces["kent"]


@pytest.fixture
def kent_staff(other_staff_user):
    """Kent's PCC office staff (tests/conftest.py's "other force")."""
    return other_staff_user


@pytest.fixture
def kent_client(other_staff_client):
    return other_staff_client


@pytest.fixture
def kent_evidence(kent_staff, kent):
    return make_link_evidence(user=kent_staff, force=kent, title="Kent firearms training plan")


@pytest.fixture
def kent_action(kent_staff, kent, spr2012):
    assessment = make_assessment(user=kent_staff, force=kent, edition=spr2012, period="2025/26")
    requirement = assessment.responses.get(requirement__ref="4.1(c)").requirement
    return assessment_services.action_save(
        user=kent_staff,
        assessment=assessment,
        requirement=requirement,
        gap="Too few trained firearms commanders",
        description="Train four more tactical firearms commanders",
        owner="ACC Operations",
        due_date=timezone.localdate() + dt.timedelta(days=90),
    )


@pytest.fixture
def requirement(spr2012):
    return spr2012.requirements.get(ref="4.1(c)")


@pytest.fixture
def kent_request(inspector_user, kent, requirement):
    return services.evidence_request_create(
        user=inspector_user,
        force=kent,
        requirements=[requirement],
        text="KENTREQUEST Send your firearms command training records",
        due_date=timezone.localdate() + dt.timedelta(days=14),
    )


@pytest.fixture
def kent_finding(inspector_user, kent, requirement):
    return services.finding_create(
        user=inspector_user,
        force=kent,
        requirement=requirement,
        kind="area-for-improvement",
        text="KENTFINDING The force should improve its firearms command resilience",
        period="2025/26",
    )
