"""Uploading an edition as a draft: checked whole (every problem with its line, nothing written from
a bad file), invisible to forces, and shown as its differences from the edition it follows."""

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied

from capabilities.editions import EditionFileError
from capabilities.editions.drafts import MAX_UPLOAD_BYTES, edition_diff, edition_upload, word_diff
from capabilities.editions.reading import edition_schema, yaml_data
from capabilities.models import Requirement
from core.roles import Role
from tests.capabilities.editions_support import FIXTURE_EDITION, fixture_bytes, row_counts
from threats.models import Edition, EditionStatus, Threat


@pytest.fixture
def national_admin(make_user):
    return make_user(Role.NATIONAL_ADMIN)


def test_schema_accepts_the_shipped_edition_and_the_fixture(settings):
    for path in (settings.SPR_EDITIONS_DIR / "spr-2012.yaml", FIXTURE_EDITION):
        jsonschema.Draft202012Validator(edition_schema()).validate(yaml_data(path.read_text()))


def test_schema_refuses_what_the_loader_refuses():
    data = yaml_data(FIXTURE_EDITION.read_text())
    del data["edition"]["title"]
    data["requirements"][0]["txt"] = "x"
    data["threats"][0]["nsra_tier"] = "one"
    errors = list(jsonschema.Draft202012Validator(edition_schema()).iter_errors(data))
    assert {error.validator for error in errors} >= {"required", "additionalProperties", "type"}


def test_upload_creates_a_draft_following_the_latest_edition(spr2012, national_admin):
    edition = edition_upload(user=national_admin, name="spr-fixture.yaml", content=fixture_bytes())

    assert edition.status == EditionStatus.DRAFT
    assert edition.follows == spr2012
    assert edition.requirements.count() == 38
    assert edition.threats.count() == 6


def test_draft_is_invisible_to_forces(spr2012, national_admin, staff_user, inspector_user):
    edition = edition_upload(user=national_admin, name="spr-fixture.yaml", content=fixture_bytes())

    for user in (staff_user, inspector_user, national_admin):
        assert not Edition.objects.visible_to(user).filter(pk=edition.pk).exists()
        assert not Requirement.objects.visible_to(user).filter(edition=edition).exists()
        assert not Threat.objects.visible_to(user).filter(edition=edition).exists()
    for user in (staff_user, inspector_user):
        assert not Edition.objects.managed_by(user).filter(pk=edition.pk).exists()
    assert Edition.objects.managed_by(national_admin).filter(pk=edition.pk).exists()


def test_upload_refused_to_others(spr2012, staff_user):
    before = row_counts()
    with pytest.raises(PermissionDenied):
        edition_upload(user=staff_user, name="spr-fixture.yaml", content=fixture_bytes())
    assert row_counts() == before


def _broken_fixture() -> tuple[bytes, dict[str, int]]:
    """The fixture with three problems, and the line each should be reported at."""
    lines = FIXTURE_EDITION.read_text(encoding="utf-8").splitlines()
    expected = {}
    for number, line in enumerate(lines):
        if line.startswith("  title: "):
            lines[number] = "  title: ''"
            expected["title is empty"] = number + 1
        elif line.startswith("- code: cyber"):
            lines[number] = "- code: terrorism"
            expected["code 'terrorism' is used more than once"] = number + 1
        elif "threats: [terrorism, organised-crime, cyber]" in line or line.strip() == "- cyber":
            pass
    # A requirement naming a threat the file does not define, found by its ref.
    ref_at = next(n for n, line in enumerate(lines) if line.strip() == "- ref: '6.7'")
    threat_at = next(n for n in range(ref_at, len(lines)) if lines[n].strip() == "- child-sexual-abuse")
    lines[threat_at] = lines[threat_at].replace("child-sexual-abuse", "piracy")
    expected["threat 'piracy' is not one of this edition's threats"] = threat_at + 1
    return ("\n".join(lines) + "\n").encode(), expected


def test_invalid_upload_lists_every_problem_with_its_line_and_writes_nothing(spr2012, national_admin):
    content, expected = _broken_fixture()
    before = row_counts()

    with pytest.raises(EditionFileError) as error:
        edition_upload(user=national_admin, name="broken.yaml", content=content)

    assert row_counts() == before
    found = {message: line for line, message in error.value.errors}
    for words, line in expected.items():
        matches = [(message, at) for message, at in found.items() if words in message]
        assert matches, f"{words!r} not reported: {list(found)}"
        assert matches[0][1] == line, (words, matches)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("edition.pdf", b"%PDF-1.4", "must be a YAML file"),
        ("edition.yaml", b"x" * (MAX_UPLOAD_BYTES + 1), "must be smaller than"),
        ("edition.yaml", b"\xff\xfe\x00bad", "UTF-8"),
        ("edition.yaml", b"edition: [unclosed\n", "cannot be read as YAML (line"),
        ("edition.yaml", b"- just\n- a list\n", "must be a YAML mapping"),
        ("edition.yaml", b"   \n", "is empty"),
    ],
)
def test_upload_refuses_what_is_not_an_edition_file(spr2012, national_admin, name, content, message):
    before = row_counts()
    with pytest.raises(EditionFileError) as error:
        edition_upload(user=national_admin, name=name, content=content)
    assert message in str(error.value)
    assert row_counts() == before


def test_upload_never_touches_a_published_edition(spr2012, national_admin, settings):
    before = row_counts()
    with pytest.raises(EditionFileError, match="is published and cannot be changed"):
        edition_upload(
            user=national_admin,
            name="spr-2012.yaml",
            content=(settings.SPR_EDITIONS_DIR / "spr-2012.yaml").read_bytes(),
        )
    assert row_counts() == before


def test_uploading_a_draft_again_replaces_it(spr2012, national_admin):
    first = edition_upload(user=national_admin, name="spr-fixture.yaml", content=fixture_bytes())
    second = edition_upload(user=national_admin, name="spr-fixture.yaml", content=fixture_bytes())
    assert not Edition.objects.filter(pk=first.pk).exists()
    assert Edition.objects.filter(code="spr-fixture").get() == second


def test_diff_lists_added_removed_and_reworded(spr2012, national_admin):
    edition = edition_upload(user=national_admin, name="spr-fixture.yaml", content=fixture_bytes())

    diff = edition_diff(edition=edition)

    assert [row.ref for row in diff.requirements_added] == ["6.4(a)", "6.4(b)", "6.7"]
    assert [row.ref for row in diff.requirements_removed] == ["4.1(b)", "6.4", "6.6"]
    assert [change.new.ref for change in diff.requirements_reworded] == ["3.1(a)", "4.1(a)"]
    assert diff.requirements_unchanged == 38 - 5
    assert [row.code for row in diff.threats_added] == ["child-sexual-abuse"]
    reworded = diff.requirements_reworded[0]
    assert ("removed", "harm;") in [(s.kind, s.text) for s in reworded.segments]
    assert "review them every year;" in "".join(s.text for s in reworded.segments if s.kind == "added")
    as_dict = diff.as_dict()
    assert as_dict["follows"] == "spr-2012"
    assert as_dict["requirements"]["reworded"][0]["ref"] == "3.1(a)"


def test_word_diff_keeps_every_word_once():
    segments = word_diff("the quick brown fox", "the slow brown fox jumps")
    assert "".join(s.text for s in segments if s.kind != "added") == "the quick brown fox"
    assert "".join(s.text for s in segments if s.kind != "removed") == "the slow brown fox jumps"


def test_load_editions_skips_reference_records(db, settings):
    from capabilities.editions import editions_load

    results = editions_load()
    assert [result.code for result in results] == ["spr-2012"]


@pytest.mark.parametrize("name", ["spr-2015.yaml", "spr-2023.yaml"])
def test_reference_records_cannot_be_uploaded(spr2012, national_admin, settings, name):
    before = row_counts()
    with pytest.raises(EditionFileError, match="reference record"):
        edition_upload(user=national_admin, name=name, content=(settings.SPR_EDITIONS_DIR / name).read_bytes())
    assert row_counts() == before


def test_reloading_the_files_keeps_a_superseded_edition_superseded(spr2012, national_admin):
    from capabilities.editions import editions_load
    from tests.capabilities.editions_support import publish_fixture_edition

    publish_fixture_edition(national_admin)
    editions_load()

    spr2012.refresh_from_db()
    assert spr2012.status == EditionStatus.SUPERSEDED
    assert Edition.objects.get(code="spr-fixture").status == EditionStatus.IN_FORCE


def test_load_editions_says_which_files_are_reference_records(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_editions", stdout=out)
    assert "spr-2015.yaml: a reference record (status: reference), not loaded" in out.getvalue()
    assert "spr-2023.yaml: a reference record" in out.getvalue()
    assert not Edition.objects.filter(code__in=["spr-2015", "spr-2023"]).exists()
