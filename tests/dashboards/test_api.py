from __future__ import annotations

import pytest

from assessments.models import AssessmentStatus

S = AssessmentStatus


def test_force_dashboard_api_returns_the_matrix(build, chief_client, spr2012):
    build("west-midlands", "2024/25")
    current = build("west-midlands", "2025/26", S.SUBMITTED, judgement="partially_assured")
    body = chief_client.get("/api/v1/dashboard/force/west-midlands/").json()
    assert body["assessment"]["id"] == current.id
    assert body["previous_assessment"]["period"] == "2024/25"
    # one row per threat plus the band of requirements that serve every threat, counted once
    assert body["cross_cutting_threat"] == "all-threats"
    assert len(body["cells"]) == (spr2012.threats.count() + 1) * spr2012.areas.count()
    band = [c for c in body["cells"] if c["threat"] == "all-threats"]
    assert sum(c["total"] for c in band) and all(c["spread_text"] for c in band)
    cell = next(c for c in body["cells"] if c["total"])
    assert set(cell) >= {"threat", "area", "code", "label", "judged", "unassessed", "total", "change"}
    assert cell["label"] == "Partially assured" and cell["change"] == "worse"
    assert body["progress"]["total"] == spr2012.requirements.count()
    assert "lowest judgement" in body["cell_rule"]


def test_force_dashboard_api_period_parameter(build, chief_client):
    build("west-midlands", "2024/25")
    build("west-midlands", "2025/26")
    body = chief_client.get("/api/v1/dashboard/force/west-midlands/", {"period": "2024/25"}).json()
    assert body["assessment"]["period"] == "2024/25"
    assert chief_client.get("/api/v1/dashboard/force/west-midlands/", {"period": "2024"}).status_code == 400


@pytest.mark.parametrize("code", ["kent", "no-such-force"])
def test_force_dashboard_api_other_force_is_404(build, chief_client, code):
    build("kent", "2025/26")
    assert chief_client.get(f"/api/v1/dashboard/force/{code}/").status_code == 404


def test_force_dashboard_api_inspector_sees_only_published(build, inspector_client):
    build("kent", "2025/26", S.SUBMITTED)
    body = inspector_client.get("/api/v1/dashboard/force/kent/").json()
    assert body["assessment"] is None and body["cells"] == []


def test_national_api(build, inspector_client, spr2012):
    build("west-midlands", "2025/26")
    build("kent", "2025/26")
    body = inspector_client.get(
        "/api/v1/dashboard/national/", {"edition": "spr-2012", "period": "2025/26", "region": "west-midlands"}
    ).json()
    assert body["edition"] == "spr-2012" and body["period"] == "2025/26" and body["region"] == "west-midlands"
    codes = {force["code"] for force in body["forces"]}
    assert "west-midlands" in codes and "kent" not in codes
    wm = next(force for force in body["forces"] if force["code"] == "west-midlands")
    assert wm["assessment"]["status"] == "published"
    assert len(wm["cells"]) == spr2012.threats.count() * spr2012.areas.count()
    assert {"code", "label", "judged", "unassessed", "total"} <= set(wm["cells"][0])


def test_national_api_csv(build, inspector_client):
    build("west-midlands", "2025/26")
    response = inspector_client.get("/api/v1/dashboard/national/", {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("force_code,force,region")


def test_national_api_refuses_force_roles_and_bad_filters(chief_client, inspector_client, spr2012):
    assert chief_client.get("/api/v1/dashboard/national/").status_code == 403
    assert chief_client.get("/api/v1/dashboard/capacity/").status_code == 403
    response = inspector_client.get("/api/v1/dashboard/national/", {"region": "atlantis"})
    assert response.status_code == 400 and "region" in response.json()


def test_capacity_dashboard_api(inspector_client, make_user, forces):
    import datetime as dt

    from capabilities.models import CapacityCapability
    from capabilities.services import capacity_capabilities_load
    from capacity.services import capacity_commitment_create
    from core.roles import Role

    capacity_capabilities_load()
    staff = make_user(Role.PCC_STAFF, "kent")
    psu = CapacityCapability.objects.get(code="public-order-psu")
    capacity_commitment_create(
        user=staff,
        force=forces["kent"],
        capability=psu,
        period="2025/26",
        committed=9,
        available=7,
        notice_period_hours=4,
        as_of=dt.date(2025, 9, 1),
    )
    body = inspector_client.get("/api/v1/dashboard/capacity/", {"period": "2025/26"}).json()
    line = next(line for line in body["national"] if line["capability"] == "public-order-psu")
    assert (line["committed"], line["available"], line["forces"]) == (9, 7, 1)
    assert line["shortfall_available"] == psu.national_planning_assumption - 7
    assert (line["total_forces"], line["forces_not_reported"], line["complete"], line["meets"]) == (46, 45, False, None)
    assert line["illustrative"] is True and body["reporting_forces"] == 1 and body["total_forces"] == 46
    csv_body = inspector_client.get("/api/v1/dashboard/capacity/", {"period": "2025/26", "format": "csv"})
    assert csv_body["Content-Type"].startswith("text/csv")


def test_api_bodies_match_their_documented_serializers(build, chief_client, inspector_client):
    """The views return data.py's dicts directly; the schema's serializers must describe them exactly."""
    from dashboards.api.serializers import CapacitySummarySerializer, ForceDashboardSerializer, NationalSerializer

    build("west-midlands", "2024/25")
    build("west-midlands", "2025/26")
    for client, url, serializer in (
        (chief_client, "/api/v1/dashboard/force/west-midlands/", ForceDashboardSerializer),
        (inspector_client, "/api/v1/dashboard/national/", NationalSerializer),
        (inspector_client, "/api/v1/dashboard/capacity/?period=2025/26", CapacitySummarySerializer),
    ):
        body = client.get(url).json()
        assert serializer(body).data == body, url
        assert set(body) == set(serializer().fields), url
