"""Edition pages: sign-in required, GOV.UK markup, matrix links, 404s and constant query counts."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from capabilities.models import Area, Requirement
from threats.models import Threat

LIST_URL = reverse("editions:list")
DETAIL_URL = reverse("editions:detail", args=["spr-2012"])
REQUIREMENT_URL = reverse("editions:requirement", args=["spr-2012", "3.2(a)(i)"])


def test_requirement_url_reverses_refs_with_parentheses():
    assert REQUIREMENT_URL == "/editions/spr-2012/requirements/3.2(a)(i)/"
    match = resolve(REQUIREMENT_URL)
    assert match.view_name == "editions:requirement"
    assert match.kwargs == {"code": "spr-2012", "ref": "3.2(a)(i)"}


@pytest.mark.parametrize("url", [LIST_URL, DETAIL_URL, REQUIREMENT_URL])
def test_edition_pages_anonymous_redirected_to_login(client, spr2012, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [LIST_URL, DETAIL_URL, REQUIREMENT_URL])
def test_edition_pages_signed_in_every_role(any_role_client, spr2012, url):
    response = any_role_client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'style="' not in content
    assert "<script>" not in content


def test_edition_list_shows_edition(staff_client, spr2012):
    content = staff_client.get(LIST_URL).content.decode()
    assert "The Strategic Policing Requirement" in content
    assert f'href="{DETAIL_URL}"' in content
    assert "July 2012" in content
    assert ">38<" in content


def test_edition_detail_shows_threats_areas_and_tiers(staff_client, spr2012):
    response = staff_client.get(DETAIL_URL)
    content = response.content.decode()
    for threat in Threat.objects.filter(edition=spr2012):
        assert threat.name in content
    for area in Area.objects.filter(edition=spr2012):
        assert f'<th scope="col" class="govuk-table__header">{area.name}</th>' in content
    assert "Not stated" in content  # public order names no tier
    assert "Tier 2" in content


def test_edition_detail_matrix_cells(staff_client, spr2012):
    matrix = staff_client.get(DETAIL_URL).context["matrix"]
    assert [row.threat.code for row in matrix.rows] == [
        "terrorism",
        "civil-emergencies",
        "organised-crime",
        "public-order",
        "cyber",
    ]
    columns = [area.code for area in matrix.areas]
    terrorism = matrix.rows[0]
    assert "3.2(a)(i)" in [r.ref for r in terrorism.cells[columns.index("capacity")]]
    assert "6.2" in [r.ref for r in terrorism.cells[columns.index("connectivity")]]
    assert "6.2" not in [r.ref for r in terrorism.cells[columns.index("capability")]]


def test_edition_detail_matrix_links_every_requirement_and_resolve(staff_client, spr2012):
    content = staff_client.get(DETAIL_URL).content.decode()
    links = set(re.findall(r'href="(/editions/spr-2012/requirements/[^"]+/)"', content))
    expected = {
        reverse("editions:requirement", args=["spr-2012", ref])
        for ref in Requirement.objects.filter(edition=spr2012).values_list("ref", flat=True)
    }
    assert links == expected
    for link in sorted(links):
        assert staff_client.get(link).status_code == 200, link


def test_edition_detail_lists_requirements_by_section(staff_client, spr2012):
    content = staff_client.get(DETAIL_URL).content.decode()
    positions = [
        content.index(f">{name}</h3>")
        for name in ["Capacity and contribution", "Capability", "Consistency", "Connectivity"]
    ]
    assert positions == sorted(positions)
    assert "appropriate capacity to contribute to the Government’s counter-terrorism strategy" in content
    assert "provide police support to major events, such as the Olympic Games." in content


def test_requirement_detail_shows_context(staff_client, spr2012):
    response = staff_client.get(REQUIREMENT_URL)
    content = response.content.decode()
    requirement = response.context["requirement"]
    assert requirement.ref == "3.2(a)(i)"
    assert requirement.text in content
    assert requirement.lead_in in content
    assert requirement.group_heading in content
    assert "Capacity and contribution" in content
    assert "Terrorism" in content and "Contribution" in content


@pytest.mark.parametrize(
    "url",
    [
        reverse("editions:detail", args=["spr-1999"]),
        reverse("editions:requirement", args=["spr-2012", "9.9(z)"]),
        reverse("editions:requirement", args=["spr-1999", "3.3"]),
    ],
)
def test_edition_pages_unknown_is_404(staff_client, spr2012, url):
    assert staff_client.get(url).status_code == 404


def test_edition_list_query_count(staff_client, spr2012, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        assert staff_client.get(LIST_URL).status_code == 200


def test_edition_detail_query_count(staff_client, spr2012, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        assert staff_client.get(DETAIL_URL).status_code == 200


def test_requirement_detail_query_count(staff_client, spr2012, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert staff_client.get(REQUIREMENT_URL).status_code == 200


def test_edition_detail_queries_constant_in_requirements(staff_client, spr2012):
    staff_client.get(DETAIL_URL)  # warm the session and any per-process caches
    with CaptureQueriesContext(connection) as before:
        staff_client.get(DETAIL_URL)

    areas = list(Area.objects.filter(edition=spr2012))
    threats = list(Threat.objects.filter(edition=spr2012))
    for n in range(40):
        extra = Requirement.objects.create(
            edition=spr2012, ref=f"9.{n}", paragraph="9.1", section="Extra", text=f"Extra {n}.", position=100 + n
        )
        extra.areas.set(areas)
        extra.threats.set(threats)

    with CaptureQueriesContext(connection) as after:
        response = staff_client.get(DETAIL_URL)
    assert len(response.context["requirements"]) == 78
    assert len(after.captured_queries) == len(before.captured_queries)
