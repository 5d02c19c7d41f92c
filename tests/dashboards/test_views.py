from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from assessments.models import AssessmentStatus

S = AssessmentStatus


def test_force_dashboard_shows_heat_map_with_text_rule_and_links(build, chief_client):
    build("west-midlands", "2024/25", judgement="assured")
    current = build("west-midlands", "2025/26", S.SUBMITTED, judgement="not_assured", extras=1)

    page = chief_client.get("/dashboard/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Each cell counts the requirements" in html
    # the spread, in colour and words together
    assert re.search(r'govuk-tag govuk-tag--red">\d+ not assured<', html)
    assert "Worse: was assured" in html
    assert 'href="#cell-terrorism-capacity"' in html and 'id="cell-terrorism-capacity"' in html
    # requirements serving every threat (3.1(a)) sit once in their own band, not under each threat
    assert "All threats (cross-cutting)" in html
    band = html.split('id="cell-all-threats-capacity"')[1].split("</section>")[0]
    terrorism = html.split('id="cell-terrorism-capacity"')[1].split("</section>")[0]
    assert ">3.1(a)<" in band and ">3.1(a)<" not in terrorism
    assert reverse("assessments:response", args=[current.pk, "3.1(a)"]) in html or "/requirements/" in html
    assert "Overdue actions" in html and "Evidence past its review date" in html
    assert '<svg class="spr-chart" role="img"' in html and "style=" not in html.split("<main")[1]
    assert 'rel="stylesheet" href="/static/css/dashboards.css"' in html


def test_force_dashboard_for_another_force_is_404(build, chief_client, other_staff_client):
    build("west-midlands", "2025/26")
    assert chief_client.get("/dashboard/?force=kent").status_code == 404
    page = other_staff_client.get("/dashboard/")
    assert page.status_code == 200
    assert "West Midlands" not in page.content.decode().split("<main")[1]


def test_force_dashboard_national_user_chooses_a_force(build, inspector_client):
    build("west-midlands", "2025/26")
    chooser = inspector_client.get("/dashboard/")
    assert chooser.status_code == 200 and b"Choose a force" in chooser.content
    assert inspector_client.get("/dashboard/?force=west-midlands").status_code == 200
    assert inspector_client.get("/dashboard/?force=atlantis").status_code == 404


def test_force_dashboard_unknown_period_is_404(build, chief_client):
    build("west-midlands", "2025/26")
    assert chief_client.get("/dashboard/?period=2019/20").status_code == 404
    assert chief_client.get("/dashboard/?period=nonsense").status_code == 404


def test_dashboard_needs_sign_in(client):
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/national/").status_code == 302


@pytest.mark.parametrize("fixture", ["staff_client", "chief_client", "pcc_client", "other_staff_client"])
def test_national_view_refuses_force_roles(db, request, fixture):
    client = request.getfixturevalue(fixture)
    assert client.get("/national/").status_code == 403
    assert client.get("/national/export.csv").status_code == 403
    assert client.get("/national/capacity.csv").status_code == 403


def test_national_view_filters_without_javascript(build, inspector_client):
    build("west-midlands", "2025/26")
    build("kent", "2025/26")
    page = inspector_client.get("/national/", {"region": "west-midlands", "period": "2025/26"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "West Midlands Police" in html and "Kent Police" not in html
    assert 'aria-sort="ascending"' in html  # sorted by force by default
    assert "sort=-force" in html


def test_national_view_bad_filter_shows_gds_error(inspector_client, spr2012):
    page = inspector_client.get("/national/", {"region": "atlantis"})
    assert page.status_code == 400
    html = page.content.decode()
    assert "<title>Error: " in html and "Select a region from the list" in html


def test_national_view_links_to_readable_assessment_only(build, inspector_client):
    published = build("west-midlands", "2025/26")
    hidden = build("kent", "2025/26", S.SUBMITTED)
    html = inspector_client.get("/national/").content.decode()
    assert reverse("assessments:detail", args=[published.pk]) in html
    assert reverse("assessments:detail", args=[hidden.pk]) not in html
    assert "No 2025/26 assessment you can read" in html


def test_national_csv_export_is_long_format_and_safe(build, inspector_client, spr2012):
    build("west-midlands", "2025/26")
    response = inspector_client.get("/national/export.csv", {"region": "west-midlands"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    wm = [row for row in rows if row["force_code"] == "west-midlands"]
    # every threat × area, and the band of requirements serving every threat once per area
    assert len(wm) == (spr2012.threats.count() + 1) * spr2012.areas.count()
    assert {row["judgement"] for row in wm} <= {"Assured", "No requirements"}
    band = [row for row in wm if row["threat"] == "all-threats"]
    assert band and all(row["spread"] for row in band)
    assert {row["force_code"] for row in rows} <= {"west-midlands", "staffordshire", "warwickshire", "west-mercia"}


def test_capacity_csv_export(inspector_client, spr2012):
    from capabilities.services import capacity_capabilities_load

    capacity_capabilities_load()
    response = inspector_client.get("/national/capacity.csv", {"period": "2025/26"})
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("scope,region,period,capability_code")
    assert any(line.startswith("national,,2025/26,public-order-psu") for line in lines)


def test_navigation_links_by_role(chief_client, inspector_client, national_admin_client, national_admin_user):
    national_admin_user.is_staff = True  # may sign in to the admin
    national_admin_user.save()
    chief = chief_client.get("/").content.decode()
    inspector = inspector_client.get("/").content.decode()
    admin = national_admin_client.get("/").content.decode()
    assert 'href="/dashboard/">Dashboard' in chief and "National view" not in chief
    assert 'href="/national/">National view' in inspector
    for page in (chief, inspector, admin):
        assert 'href="/capacity/">Capacity' in page
    assert 'href="/admin/">Administration' in admin
    assert "/admin/" not in chief and "/admin/" not in inspector


def test_no_inline_style_on_dashboard_pages(build, chief_client, inspector_client):
    build("west-midlands", "2025/26")
    for client, url in ((chief_client, "/dashboard/"), (inspector_client, "/national/")):
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert "<script>" not in html


EXPECTED = {
    # url: status per role client (force roles act for west-midlands, other_staff for kent)
    "/dashboard/": {"staff": 200, "chief": 200, "pcc": 200, "inspector": 200, "admin": 200, "other": 200},
    "/dashboard/?force=west-midlands": {
        "staff": 200,
        "chief": 200,
        "pcc": 200,
        "inspector": 200,
        "admin": 200,
        "other": 404,
    },
    "/national/": {"staff": 403, "chief": 403, "pcc": 403, "inspector": 200, "admin": 200, "other": 403},
    "/national/export.csv": {"staff": 403, "chief": 403, "pcc": 403, "inspector": 200, "admin": 200, "other": 403},
    "/national/capacity.csv": {"staff": 403, "chief": 403, "pcc": 403, "inspector": 200, "admin": 200, "other": 403},
    "/capacity/": {"staff": 200, "chief": 200, "pcc": 200, "inspector": 200, "admin": 200, "other": 200},
    "/capacity/west-midlands/2025-26/cbrn/": {
        "staff": 200,
        "chief": 403,
        "pcc": 403,
        "inspector": 403,
        "admin": 200,
        "other": 404,
    },
    "/capacity/capabilities/cbrn/": {
        "staff": 403,
        "chief": 403,
        "pcc": 403,
        "inspector": 403,
        "admin": 200,
        "other": 403,
    },
    "/api/v1/dashboard/force/west-midlands/": {
        "staff": 200,
        "chief": 200,
        "pcc": 200,
        "inspector": 200,
        "admin": 200,
        "other": 404,
    },
    "/api/v1/dashboard/national/": {
        "staff": 403,
        "chief": 403,
        "pcc": 403,
        "inspector": 200,
        "admin": 200,
        "other": 403,
    },
    "/api/v1/dashboard/capacity/": {
        "staff": 403,
        "chief": 403,
        "pcc": 403,
        "inspector": 200,
        "admin": 200,
        "other": 403,
    },
    "/api/v1/capacity/": {"staff": 200, "chief": 200, "pcc": 200, "inspector": 200, "admin": 200, "other": 200},
    "/api/v1/capacity-capabilities/": {
        "staff": 200,
        "chief": 200,
        "pcc": 200,
        "inspector": 200,
        "admin": 200,
        "other": 200,
    },
}
CLIENTS = {
    "staff": "staff_client",
    "chief": "chief_client",
    "pcc": "pcc_client",
    "inspector": "inspector_client",
    "admin": "national_admin_client",
    "other": "other_staff_client",
}


@pytest.mark.parametrize("role", list(CLIENTS))
def test_every_dashboard_and_capacity_url_for_every_role(request, role, build, client):
    from capabilities.services import capacity_capabilities_load

    capacity_capabilities_load()
    build("west-midlands", "2025/26")
    signed_in = request.getfixturevalue(CLIENTS[role])
    for url, statuses in EXPECTED.items():
        assert signed_in.get(url).status_code == statuses[role], (role, url)
        assert client.get(url).status_code in (302, 401, 403), url  # anonymous: never the data


def test_national_matrix_shows_one_c_at_a_time_with_a_plain_link_switch(build, inspector_client, spr2012):
    build("west-midlands", "2025/26", judgement="partially_assured")
    html = inspector_client.get("/national/").content.decode()
    areas = list(spr2012.areas.order_by("position"))
    first, second = areas[0], areas[1]
    # the first C is shown; the others are GET links that work without JavaScript
    assert f'<strong aria-current="page">{first.name}</strong>' in html
    assert f"area={second.code}#matrix" in html
    assert "All threats (cross-cutting)" in html
    matrix = html.split('class="govuk-table spr-national"')[1].split("</table>")[0]
    assert re.search(r"\d+ partially assured</span>", matrix)  # spread in words for screen readers
    assert re.search(r'aria-hidden="true">\d+ PA<', matrix)  # and its short form beside the key
    regions = html.split('id="regions"')[1].split("</table>")[0]
    assert re.search(r'govuk-tag--yellow">38 partially assured<', regions)  # requirements, not cells
    other = inspector_client.get("/national/", {"area": second.code}).content.decode()
    assert f'<strong aria-current="page">{second.name}</strong>' in other
    assert inspector_client.get("/national/", {"area": "atlantis"}).status_code == 404
