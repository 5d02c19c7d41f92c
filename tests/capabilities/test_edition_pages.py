"""The national administrator's edition pages: upload (every problem with its line in a GOV.UK error
summary, nothing written), changes, mapping (one requirement at a time, retirements, a whole file)
and publishing; 403 for every other role, and a draft is 404 for them everywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from capabilities.models import RequirementMapping
from tests.capabilities.editions_support import FIXTURE_MAPPING, fixture_bytes, row_counts
from threats.models import Edition, EditionStatus


def _upload(client, content=None, name="spr-fixture.yaml"):
    return client.post(reverse("editions:upload"), {"file": SimpleUploadedFile(name, content or fixture_bytes())})


@pytest.fixture
def draft(spr2012, national_admin_client):
    response = _upload(national_admin_client)
    assert response.status_code == 302
    return Edition.objects.get(code="spr-fixture")


def test_upload_page_shows_every_problem_with_its_line(spr2012, national_admin_client):
    text = fixture_bytes().decode().replace("  title: Test edition", "  title: ''\n  colour: Test edition", 1)
    before = row_counts()

    response = _upload(national_admin_client, text.encode())

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "govuk-error-summary" in page
    title_line = text.splitlines().index("  title: ''") + 1
    assert f"Line {title_line}: edition: title is empty" in page
    assert "unknown key colour" in page
    assert row_counts() == before


def test_upload_page_without_a_file(spr2012, national_admin_client):
    response = national_admin_client.post(reverse("editions:upload"), {})
    assert response.status_code == 400
    assert "Select an edition file" in response.content.decode()


def test_upload_redirects_to_the_changes(spr2012, national_admin_client):
    response = _upload(national_admin_client)
    assert response["Location"] == reverse("editions:changes", args=["spr-fixture"])
    page = national_admin_client.get(response["Location"]).content.decode()
    assert "Changes since The Strategic Policing Requirement (July 2012)" in page
    assert "<del>" in page and "<ins>" in page
    assert "review them every year;" in page


def test_reworded_text_is_escaped(spr2012, national_admin_client):
    text = fixture_bytes().decode().replace("review them every year;", "review <script>alert(1)</script> them;", 1)
    _upload(national_admin_client, text.encode())
    page = national_admin_client.get(reverse("editions:changes", args=["spr-fixture"])).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


@pytest.mark.parametrize("role_client", ["staff_client", "chief_client", "pcc_client", "inspector_client"])
def test_pages_refuse_other_roles(draft, request, role_client):
    client = request.getfixturevalue(role_client)
    for name, args in [
        ("editions:upload", []),
        ("editions:mapping", ["spr-fixture"]),
        ("editions:map-requirement", ["spr-fixture", "6.7"]),
        ("editions:publish", ["spr-fixture"]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert client.get(reverse("editions:detail", args=["spr-fixture"])).status_code == 404
    assert client.get(reverse("editions:changes", args=["spr-fixture"])).status_code == 404
    assert "spr-fixture" not in client.get(reverse("editions:list")).content.decode()


def test_map_one_requirement_with_suggestions(draft, national_admin_client):
    url = reverse("editions:map-requirement", args=["spr-fixture", "3.1(a)"])
    page = national_admin_client.get(url).content.decode()
    assert "Suggested: similar wording." in page
    assert 'value="3.1(a)" checked' in page

    response = national_admin_client.post(url, {"previous": ["3.1(a)"], "same_meaning": "on"})

    assert response.status_code == 302
    mapping = RequirementMapping.objects.get(requirement__edition=draft, requirement__ref="3.1(a)")
    assert mapping.same_meaning
    assert list(mapping.previous.values_list("ref", flat=True)) == ["3.1(a)"]


def test_new_requirement_cannot_mean_the_same(draft, national_admin_client):
    url = reverse("editions:map-requirement", args=["spr-fixture", "6.7"])
    response = national_admin_client.post(url, {"same_meaning": "on"})
    assert response.status_code == 400
    assert "Select what it continues" in response.content.decode()
    assert not RequirementMapping.objects.filter(requirement__edition=draft).exists()


def test_retire_and_upload_mapping_then_publish(draft, national_admin_client, staff_client):
    retire = reverse("editions:retire", args=["spr-fixture", "requirement"])
    assert national_admin_client.post(retire, {"retire-requirement-retired": ["6.6"]}).status_code == 302
    assert list(draft.retired_requirements.values_list("requirement__ref", flat=True)) == ["6.6"]

    publish = reverse("editions:publish", args=["spr-fixture"])
    refused = national_admin_client.post(
        publish, {"effective_from_day": "1", "effective_from_month": "4", "effective_from_year": "2026"}
    )
    assert refused.status_code == 409
    assert "Requirement 6.7 is not mapped" in refused.content.decode()

    with FIXTURE_MAPPING.open("rb") as handle:
        uploaded = national_admin_client.post(
            reverse("editions:mapping-upload", args=["spr-fixture"]), {"file": handle}
        )
    assert uploaded.status_code == 302
    assert "The mapping is complete." in national_admin_client.get(uploaded["Location"]).content.decode()

    published = national_admin_client.post(
        publish, {"effective_from_day": "1", "effective_from_month": "4", "effective_from_year": "2026"}
    )
    assert published.status_code == 302
    assert Edition.objects.get(code="spr-fixture").status == EditionStatus.IN_FORCE
    detail = staff_client.get(reverse("editions:detail", args=["spr-fixture"])).content.decode()
    assert "1 April 2026" in detail and "What changed" in detail
    # Once published, what changed is for every signed-in user to read.
    changes = staff_client.get(reverse("editions:changes", args=["spr-fixture"]))
    assert changes.status_code == 200
    assert "Changes since The Strategic Policing Requirement (July 2012)" in changes.content.decode()


def test_incomplete_mapping_file_lists_every_problem_and_writes_nothing(draft, national_admin_client):
    before = row_counts()
    content = FIXTURE_MAPPING.read_text().replace("retired_requirements:\n- '6.6'", "retired_requirements: []")
    content = content.replace("- ref: '6.7'", "- ref: '9.9'")
    response = national_admin_client.post(
        reverse("editions:mapping-upload", args=["spr-fixture"]),
        {"file": SimpleUploadedFile("mapping.yaml", content.encode())},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error:" in page
    assert "Requirement 6.6 of spr-2012 is neither continued nor retired" in page
    assert "is not a requirement of spr-fixture" in page
    assert "Requirement 6.7 is not mapped" in page
    assert row_counts() == before


def test_mapping_page_query_count_is_constant(draft, national_admin_client, django_assert_max_num_queries):
    with FIXTURE_MAPPING.open("rb") as handle:
        national_admin_client.post(reverse("editions:mapping-upload", args=["spr-fixture"]), {"file": handle})
    with django_assert_max_num_queries(25):
        response = national_admin_client.get(reverse("editions:mapping", args=["spr-fixture"]))
    assert response.status_code == 200
    with django_assert_max_num_queries(15):
        assert national_admin_client.get(reverse("editions:changes", args=["spr-fixture"])).status_code == 200


def test_map_a_threat_on_its_page(draft, national_admin_client):
    from threats.models import ThreatMapping

    new_threat = reverse("editions:map-threat", args=["spr-fixture", "child-sexual-abuse"])
    assert national_admin_client.get(new_threat).status_code == 200
    assert national_admin_client.post(new_threat, {}).status_code == 302  # nothing ticked: it is new
    terrorism = reverse("editions:map-threat", args=["spr-fixture", "terrorism"])
    assert 'value="terrorism" checked' in national_admin_client.get(terrorism).content.decode()
    national_admin_client.post(terrorism, {"previous": ["terrorism"], "same_meaning": "on"})

    mappings = {m.threat.code: m for m in ThreatMapping.objects.filter(threat__edition=draft)}
    assert list(mappings["child-sexual-abuse"].previous.all()) == []
    assert [t.code for t in mappings["terrorism"].previous.all()] == ["terrorism"]
    assert mappings["terrorism"].same_meaning
    page = national_admin_client.get(reverse("editions:mapping", args=["spr-fixture"])).content.decode()
    assert "2 of 6 mapped" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("edition.pdf", b"%PDF-1.4", "The selected file must be a YAML file"),
        ("edition.yaml", b"edition: [unclosed\n", "cannot be read as YAML"),
        ("edition.yaml", b"\xff\xfe\x00", "must be text in UTF-8"),
    ],
)
def test_upload_page_refuses_what_is_not_an_edition_file(spr2012, national_admin_client, name, content, message):
    before = row_counts()
    response = _upload(national_admin_client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "<title>Error:" in response.content.decode()
    assert row_counts() == before


def test_upload_page_query_count(draft, national_admin_client, django_assert_max_num_queries):
    national_admin_client.get(reverse("editions:upload"))
    with django_assert_max_num_queries(10):
        response = national_admin_client.get(reverse("editions:upload"))
    assert "spr-fixture" in response.content.decode()
