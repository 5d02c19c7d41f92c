"""Expected contributions: the service (national administrators only, audited), the CSV upload (all
or nothing, every refused row named), the page and its API twin, and force isolation."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from capabilities.services import capacity_capabilities_load
from capacity import services
from capacity.models import ExpectedContribution
from core.models import AuditEntry


@pytest.fixture
def loaded(db):
    capacity_capabilities_load()


def test_only_a_national_admin_sets_expected_contributions(
    loaded, forces, staff_user, inspector_user, national_admin_user
):
    from capabilities.models import CapacityCapability

    psu = CapacityCapability.objects.get(code="public-order-psu")
    for user in (staff_user, inspector_user):
        with pytest.raises(PermissionDenied):
            services.expected_contribution_save(
                user=user, force=forces["kent"], capability=psu, period="2025/26", expected=9
            )
    row = services.expected_contribution_save(
        user=national_admin_user, force=forces["kent"], capability=psu, period="2025/26", expected=9
    )
    services.expected_contribution_save(
        user=national_admin_user, force=forces["kent"], capability=psu, period="2025/26", expected=11, official=True
    )
    row.refresh_from_db()
    assert (row.expected, row.official) == (11, True)
    entries = AuditEntry.objects.filter(model="capacity.expectedcontribution", object_id=str(row.pk))
    assert [e.action for e in entries] == ["created", "changed"]
    assert entries.last().changes == {"expected": [9, 11], "official": [False, True]}


GOOD = (
    "force_code,capability_code,period,expected,official\n"
    "kent,public-order-psu,2025/26,9,no\n"
    "west-midlands,cbrn,2025/26,30,yes\n"
)
BAD = (
    "force_code,capability_code,period,expected,official\n"
    "kent,public-order-psu,2025/26,9,no\n"
    "atlantis,public-order-psu,2025/26,9,no\n"
    "kent,cbrn,2025/27,-3,maybe\n"
    "kent,public-order-psu,2025/26,10,no\n"
)


def test_import_is_all_or_nothing_and_names_every_refused_row(loaded, forces, national_admin_user):
    report = services.expected_contributions_import(user=national_admin_user, text=BAD)
    assert not report.ok and report.written == 0 and report.rows == 4
    lines = dict(report.errors)
    assert set(lines) == {3, 4, 5}
    assert "atlantis" in lines[3]
    assert "2025/27" in lines[4] and "-3" in lines[4] and "maybe" in lines[4]
    assert "line 2" in lines[5]
    assert not ExpectedContribution.objects.exists()
    report = services.expected_contributions_import(user=national_admin_user, text=GOOD)
    assert report.ok and report.written == 2
    assert ExpectedContribution.objects.get(force__code="west-midlands").official is True


def test_import_refuses_a_file_without_the_header(loaded, national_admin_user):
    report = services.expected_contributions_import(user=national_admin_user, text="kent,psu,2025/26,9\n")
    assert report.errors and report.errors[0][0] == 1


def test_expected_page_form_and_upload(loaded, forces, national_admin_client, staff_client):
    assert staff_client.get("/capacity/expected/").status_code == 403
    page = national_admin_client.get("/capacity/expected/", {"period": "2025/26"})
    assert page.status_code == 200 and "No expected contributions are set for 2025/26" in page.content.decode()
    error = national_admin_client.post(
        "/capacity/expected/?period=2025/26",
        {"set-force": "", "set-capability": "cbrn", "set-period": "2025/26", "set-expected": "x"},
    )
    html = error.content.decode()
    assert error.status_code == 400 and "<title>Error: " in html and "Select a force" in html
    saved = national_admin_client.post(
        "/capacity/expected/?period=2025/26",
        {"set-force": "kent", "set-capability": "cbrn", "set-period": "2025/26", "set-expected": "12"},
    )
    assert saved.status_code == 302
    page = national_admin_client.get("/capacity/expected/", {"period": "2025/26"}).content.decode()
    assert "Kent Police" in page and "Illustrative" in page
    refused = national_admin_client.post(
        "/capacity/expected/upload/?period=2025/26",
        {"upload-file": SimpleUploadedFile("e.csv", BAD.encode(), content_type="text/csv")},
    )
    html = refused.content.decode()
    assert refused.status_code == 400 and "Row 3: No force has the code" in html and "nothing was saved" in html
    accepted = national_admin_client.post(
        "/capacity/expected/upload/?period=2025/26",
        {"upload-file": SimpleUploadedFile("e.csv", GOOD.encode(), content_type="text/csv")},
    )
    assert accepted.status_code == 302
    assert ExpectedContribution.objects.filter(period="2025/26").count() == 3


def test_expected_api_twin_and_isolation(loaded, forces, national_admin_client, staff_client, other_staff_client):
    body = {"force": "west-midlands", "capability": "cbrn", "period": "2025/26", "expected": 30}
    assert (
        staff_client.post("/api/v1/expected-contributions/", body, content_type="application/json").status_code == 403
    )
    created = national_admin_client.post("/api/v1/expected-contributions/", body, content_type="application/json")
    assert created.status_code == 200 and created.json()["official"] is False
    pk = created.json()["id"]
    assert staff_client.get(f"/api/v1/expected-contributions/{pk}/").json()["expected"] == 30
    assert other_staff_client.get(f"/api/v1/expected-contributions/{pk}/").status_code == 404
    assert other_staff_client.get("/api/v1/expected-contributions/").json()["count"] == 0
    refused = national_admin_client.post(
        "/api/v1/expected-contributions/upload/", {"file": SimpleUploadedFile("e.csv", BAD.encode())}
    )
    assert refused.status_code == 400
    assert [e["row"] for e in refused.json()["errors"]] == [3, 4, 5]


def test_expected_lists_take_a_fixed_number_of_queries(
    loaded, forces, national_admin_user, national_admin_client, django_assert_max_num_queries
):
    from capabilities.models import CapacityCapability

    capabilities = list(CapacityCapability.objects.all())
    for force in list(forces.values())[:20]:
        for capability in capabilities:
            services.expected_contribution_save(
                user=national_admin_user, force=force, capability=capability, period="2025/26", expected=3
            )
    # The same number of queries for 160 rows as for 1: one for the rows, the rest per request.
    with django_assert_max_num_queries(12):
        page = national_admin_client.get("/capacity/expected/", {"period": "2025/26"})
    assert page.content.decode().count("govuk-tag--grey") >= 160
    with django_assert_max_num_queries(10):
        body = national_admin_client.get("/api/v1/expected-contributions/", {"period": "2025/26"}).json()
    assert body["count"] == 160


def test_force_dashboard_shows_expected_committed_and_not_reported(
    loaded, forces, national_admin_user, staff_user, chief_client, spr2012
):
    import datetime as dt

    from capabilities.models import CapacityCapability
    from tests.factories import make_assessment

    make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2025/26")
    psu = CapacityCapability.objects.get(code="public-order-psu")
    cbrn = CapacityCapability.objects.get(code="cbrn")
    for capability, expected in ((psu, 12), (cbrn, 30)):
        services.expected_contribution_save(
            user=national_admin_user,
            force=forces["west-midlands"],
            capability=capability,
            period="2025/26",
            expected=expected,
        )
    services.capacity_commitment_create(
        user=staff_user,
        force=forces["west-midlands"],
        capability=psu,
        period="2025/26",
        committed=9,
        available=9,
        notice_period_hours=4,
        as_of=dt.date(2025, 9, 1),
    )
    html = chief_client.get("/dashboard/", {"period": "2025/26"}).content.decode()
    section = html[html.index('id="capacity"') :]
    assert "1 of 46 forces reported capacity nationally" in section
    assert "Illustrative figures" in section
    psu_row = section[section.index(psu.name) :][:600]
    assert ">12<" in psu_row and ">9<" in psu_row and ">3<" in psu_row  # expected, committed, shortfall
    cbrn_row = section[section.index(cbrn.name) :][:600]
    assert ">30<" in cbrn_row and "Not reported" in cbrn_row
