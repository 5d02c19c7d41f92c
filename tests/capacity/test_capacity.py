"""Capacity planning: services (permission, validation, audit), pages and the API twin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from capabilities import services
from capabilities.models import CapacityCapability
from capacity import services as capacity_services
from capacity.models import CapacityCommitment
from core.models import AuditEntry

FIGURES = {"committed": 6, "available": 5, "notice_period_hours": 4, "as_of": dt.date(2025, 9, 1)}


@pytest.fixture
def psu(db):
    services.capacity_capabilities_load()
    return CapacityCapability.objects.get(code="public-order-psu")


def test_load_is_idempotent_and_keeps_admin_edits(psu, national_admin_user):
    services.capacity_capability_save(user=national_admin_user, capability=psu, national_planning_assumption=280)
    assert services.capacity_capabilities_load() == 0
    psu.refresh_from_db()
    assert psu.national_planning_assumption == 280
    assert "ILLUSTRATIVE" in psu.description


def test_only_national_admin_changes_capabilities(psu, staff_user, inspector_user, national_admin_user):
    for user in (staff_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.capacity_capability_save(user=user, capability=psu, national_planning_assumption=1)
    saved = services.capacity_capability_save(
        user=national_admin_user, capability=psu, national_planning_assumption=310
    )
    assert saved.national_planning_assumption == 310
    entry = AuditEntry.objects.filter(model="capabilities.capacitycapability").last()
    assert entry.changes == {"national_planning_assumption": [300, 310]}


def test_commitment_create_update_and_audit(psu, staff_user, forces):
    commitment = capacity_services.capacity_commitment_create(
        user=staff_user, force=forces["west-midlands"], capability=psu, period="2025/26", **FIGURES
    )
    with pytest.raises(ValidationError):
        capacity_services.capacity_commitment_create(
            user=staff_user, force=forces["west-midlands"], capability=psu, period="2025/26", **FIGURES
        )
    capacity_services.capacity_commitment_update(user=staff_user, commitment=commitment, available=3)
    commitment.refresh_from_db()
    assert commitment.available == 3
    entries = list(AuditEntry.objects.filter(model="capacity.capacitycommitment", object_id=str(commitment.pk)))
    assert [e.action for e in entries] == ["created", "changed"]
    assert entries[-1].changes == {"available": [5, 3]} and entries[-1].force_id == forces["west-midlands"].id


def test_commitment_refused_for_other_force_and_other_roles(psu, other_staff_user, chief_user, forces):
    for user in (other_staff_user, chief_user):
        with pytest.raises(PermissionDenied):
            capacity_services.capacity_commitment_create(
                user=user, force=forces["west-midlands"], capability=psu, period="2025/26", **FIGURES
            )


def test_commitment_validation(psu, staff_user, forces):
    with pytest.raises(ValidationError) as error:
        capacity_services.capacity_commitment_create(
            user=staff_user,
            force=forces["west-midlands"],
            capability=psu,
            period="2025/26",
            **{**FIGURES, "as_of": dt.date.today() + dt.timedelta(days=3)},
        )
    assert "as_of" in error.value.message_dict
    with pytest.raises(ValidationError):
        capacity_services.capacity_commitment_create(
            user=staff_user, force=forces["west-midlands"], capability=psu, period="2025/27", **FIGURES
        )


def test_capacity_page_and_form(psu, staff_client, forces):
    page = staff_client.get("/capacity/", {"period": "2025/26"})
    assert page.status_code == 200 and b"West Midlands Police" in page.content and b"Not reported" in page.content
    url = "/capacity/west-midlands/2025-26/public-order-psu/"
    assert staff_client.get(url).status_code == 200
    error = staff_client.post(
        url,
        {
            "committed": "",
            "available": "x",
            "notice_period_hours": "2",
            "as_of_day": "1",
            "as_of_month": "9",
            "as_of_year": "2025",
        },
    )
    assert error.status_code == 400
    html = error.content.decode()
    assert "<title>Error: " in html and "Enter the number committed" in html and "Available must be a whole" in html
    saved = staff_client.post(
        url,
        {
            "committed": "6",
            "available": "5",
            "notice_period_hours": "2",
            "as_of_day": "1",
            "as_of_month": "9",
            "as_of_year": "2025",
        },
    )
    assert saved.status_code == 302
    assert CapacityCommitment.objects.get(force=forces["west-midlands"], period="2025/26").committed == 6


def test_capacity_form_other_force_is_404_and_chief_403(psu, staff_client, chief_client):
    assert staff_client.get("/capacity/kent/2025-26/public-order-psu/").status_code == 404
    assert staff_client.get("/capacity/?force=kent").status_code == 404
    assert chief_client.get("/capacity/west-midlands/2025-26/public-order-psu/").status_code == 403


def test_capability_edit_page_national_admin_only(psu, national_admin_client, staff_client):
    url = "/capacity/capabilities/public-order-psu/"
    assert staff_client.get(url).status_code == 403
    response = national_admin_client.post(
        url,
        {
            "name": psu.name,
            "unit": psu.unit,
            "national_planning_assumption": "320",
            "paragraphs": "3.2",
            "description": "",
            "position": "1",
        },
    )
    assert response.status_code == 302
    psu.refresh_from_db()
    assert psu.national_planning_assumption == 320
    created = national_admin_client.post(
        "/capacity/capabilities/new/",
        {
            "code": "mounted",
            "name": "Mounted officers",
            "unit": "horses",
            "national_planning_assumption": "90",
            "position": "9",
        },
    )
    assert created.status_code == 302 and CapacityCapability.objects.filter(code="mounted").exists()


def test_capacity_api_isolation_create_update(psu, staff_client, other_staff_client, chief_client, forces):
    created = staff_client.post(
        "/api/v1/capacity/",
        {
            "capability": "public-order-psu",
            "period": "2025/26",
            "committed": 6,
            "available": 5,
            "notice_period_hours": 4,
            "as_of": "2025-09-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["force"] == "west-midlands" and body["capability"] == "public-order-psu"
    detail = f"/api/v1/capacity/{body['id']}/"
    assert other_staff_client.get(detail).status_code == 404
    assert other_staff_client.get("/api/v1/capacity/").json()["count"] == 0
    assert other_staff_client.patch(detail, {"available": 1}, content_type="application/json").status_code == 404
    assert chief_client.patch(detail, {"available": 1}, content_type="application/json").status_code == 403
    changed = staff_client.patch(detail, {"available": 4}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["available"] == 4
    refused = staff_client.patch(detail, {"period": "2024/25"}, content_type="application/json")
    assert refused.status_code == 400 and "period" in refused.json()
    other = staff_client.post(
        "/api/v1/capacity/",
        {
            "force": "kent",
            "capability": "cbrn",
            "period": "2025/26",
            "committed": 1,
            "available": 1,
            "notice_period_hours": 1,
            "as_of": "2025-09-01",
        },
        content_type="application/json",
    )
    assert other.status_code == 400
    csv_body = staff_client.get("/api/v1/capacity/", {"format": "csv"})
    assert csv_body["Content-Type"].startswith("text/csv") and b"west-midlands" in csv_body.content
    text = csv_body.content.decode()
    assert text.splitlines()[0].endswith("expected,shortfall_against_expected,figures")
    assert "ILLUSTRATIVE, not official" in text  # the loaded planning assumptions are illustrative
