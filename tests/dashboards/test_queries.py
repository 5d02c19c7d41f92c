"""Query counts stay constant as forces, periods, responses and evidence grow: every page and API
endpoint is measured at a small and a larger size, under the same ceiling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from assessments.models import AssessmentStatus
from capabilities.models import CapacityCapability, Requirement
from capabilities.services import capacity_capabilities_load
from capacity.services import capacity_commitment_create
from core.roles import Role
from inspection import services as inspection_services

S = AssessmentStatus

SMALL = {"forces": ["west-midlands"], "periods": ["2025/26"], "extras": 0}
LARGE = {
    "forces": ["west-midlands", "kent", "staffordshire", "dyfed-powys"],
    "periods": ["2023/24", "2024/25", "2025/26"],
    "extras": 3,
}
# The page ceilings include the session, user, roles and memberships lookups of a signed-in request.
CEILINGS = {
    # Issue 18: an edition's structure and the forces and regions are read once per process
    # (capabilities.structure, forces.catalogue), so none of them on a warm page; the figures before are
    # in brackets.
    "/dashboard/": 18,  # (24) with the force's HMIC requests and findings (inspection)
    "/national/": 20,  # (30) with findings and open requests per force (inspection)
    "/national/export.csv": 19,  # (27) 18 on SQLite; PostgreSQL adds the audit chain's lock (the download is audited)
    "/api/v1/dashboard/force/west-midlands/": 14,  # (22)
    "/api/v1/dashboard/national/": 17,  # (28)
    "/api/v1/dashboard/capacity/?period=2025/26": 6,  # (8)
    "/capacity/?period=2025/26": 7,  # (10)
    "/api/v1/capacity/": 4,  # (8)
}


def _populate(build, forces, make_user, size) -> None:
    for code in size["forces"]:
        for period in size["periods"]:
            build(
                code,
                period,
                S.SUBMITTED if period == "2025/26" else S.PUBLISHED,
                extras=size["extras"],
                share=True,
                judgement="partially_assured" if period == "2024/25" else "assured",
            )
    capacity_capabilities_load()
    for code in size["forces"]:
        staff = build.people(code)["staff"]
        for capability in CapacityCapability.objects.all():
            for period in size["periods"]:
                capacity_commitment_create(
                    user=staff,
                    force=forces[code],
                    capability=capability,
                    period=period,
                    committed=5,
                    available=4,
                    notice_period_hours=2,
                    as_of=dt.date(2025, 4, 1),
                )
    inspector = make_user(Role.INSPECTOR, None, "queries-inspector")
    requirement = Requirement.objects.order_by("id").first()
    for code in size["forces"]:
        for n in range(size["extras"]):
            inspection_services.evidence_request_create(
                user=inspector,
                force=forces[code],
                requirements=[requirement],
                text=f"Request {n}",
                due_date=timezone.localdate(),
            )
            inspection_services.finding_create(
                user=inspector,
                force=forces[code],
                requirement=requirement,
                kind="recommendation",
                text=f"Finding {n}",
                period="2025/26",
            )


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("url", list(CEILINGS))
def test_query_count_is_constant(
    url, size, build, forces, make_user, chief_client, inspector_client, staff_client, django_assert_max_num_queries
):
    _populate(build, forces, make_user, size)
    national = url.startswith(("/national", "/api/v1/dashboard/national", "/api/v1/dashboard/capacity"))
    client = inspector_client if national else staff_client if "capacity" in url else chief_client
    client.get(url)  # warm per-process caches (content types, templates)
    with django_assert_max_num_queries(CEILINGS[url]):
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
