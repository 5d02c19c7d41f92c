"""The SPR 2012 edition file, loaded, against the published text (editions/source/...)."""

import re
from collections import Counter

import pytest
from django.conf import settings

from capabilities.models import Area, Requirement
from threats.models import EditionStatus, JudgementLevel, Threat

SOURCE = settings.BASE_DIR / "editions" / "source" / "strategic-policing-requirement-2012.md"

EXPECTED_PER_PARAGRAPH = {
    "3.1": 3,
    "3.2": 10,
    "3.3": 1,
    "3.4": 1,
    "4.1": 8,
    "4.2": 1,
    "5.1": 5,
    "5.2": 1,
    "5.3": 1,
    "5.4": 1,
    "6.1": 1,
    "6.2": 1,
    "6.3": 1,
    "6.4": 1,
    "6.5": 1,
    "6.6": 1,
}


@pytest.fixture(scope="module")
def source_text() -> str:
    """The published text without its footnote markers (the only thing the edition file leaves out)."""
    return re.sub(r"<sup>\d+</sup>", "", SOURCE.read_text(encoding="utf-8"))


def test_edition_spr2012_facts(spr2012):
    assert spr2012.title == "The Strategic Policing Requirement"
    assert spr2012.publisher == "Home Office"
    assert spr2012.published_on.isoformat() == "2012-07-01"
    assert spr2012.status == EditionStatus.IN_FORCE
    assert spr2012.isbn == "978-1-84987-933-0"
    assert (settings.BASE_DIR / spr2012.source).is_file()


def test_requirements_count_per_paragraph(spr2012):
    counts = Counter(Requirement.objects.filter(edition=spr2012).values_list("paragraph", flat=True))
    assert dict(counts) == EXPECTED_PER_PARAGRAPH
    assert sum(counts.values()) == 38


def test_requirements_text_verbatim_in_source(spr2012, source_text):
    for requirement in Requirement.objects.filter(edition=spr2012):
        assert requirement.text in source_text, requirement.ref
        assert requirement.lead_in in source_text, requirement.ref
        assert requirement.group_heading in source_text, requirement.ref


def test_requirements_keep_curly_quotes_and_closing_punctuation(spr2012):
    by_ref = {r.ref: r for r in Requirement.objects.filter(edition=spr2012)}
    assert by_ref["3.2(a)(i)"].group_heading == (
        "appropriate capacity to contribute to the Government’s counter-terrorism strategy (“CONTEST”) by :"
    )
    assert by_ref["3.2(b)(ii)"].group_heading == (
        "appropriate capacity to contribute to the Government’s organised crime strategy – by working with partners to:"
    )
    assert by_ref["3.2(a)(iii)"].text.endswith("; and")
    assert by_ref["3.1(a)"].text.endswith(";")
    assert by_ref["4.1(b)"].text.endswith("national agencies.")  # footnote marker stripped
    assert by_ref["5.3"].text.count("‘go forward’") == 1
    assert by_ref["3.2(c)"].lead_in == (
        "In doing so, they must demonstrate that they have taken into account the need for:"
    )
    assert not by_ref["3.3"].lead_in and not by_ref["3.3"].group_heading


def test_requirements_each_have_an_area_and_a_threat(spr2012):
    for requirement in Requirement.objects.filter(edition=spr2012).prefetch_related("areas", "threats"):
        assert requirement.areas.all(), requirement.ref
        assert requirement.threats.all(), requirement.ref


def test_requirements_areas_follow_their_section(spr2012):
    expected = {"3": {"capacity", "contribution"}, "4": {"capability"}, "5": {"consistency"}}
    for requirement in Requirement.objects.filter(edition=spr2012).prefetch_related("areas"):
        codes = {area.code for area in requirement.areas.all()}
        section = requirement.paragraph.split(".")[0]
        if section == "6":
            assert "connectivity" in codes, requirement.ref
        else:
            assert codes <= expected[section], requirement.ref


def test_requirements_refs_in_document_order(spr2012):
    refs = list(Requirement.objects.filter(edition=spr2012).order_by("position").values_list("ref", flat=True))
    assert refs[:4] == ["3.1(a)", "3.1(b)", "3.1(c)", "3.2(a)(i)"]
    assert refs[-1] == "6.6"
    assert "3.2(b)(iii)" in refs and "4.1(h)" in refs and "5.1(e)" in refs


def test_threats_five_with_tiers(spr2012, source_text):
    threats = list(Threat.objects.filter(edition=spr2012).order_by("position"))
    assert [(t.code, t.nsra_tier, t.paragraph) for t in threats] == [
        ("terrorism", 1, "2.2"),
        ("civil-emergencies", 1, "2.2"),
        ("organised-crime", 2, "2.2"),
        ("public-order", None, "2.2"),
        ("cyber", 1, "2.2"),
    ]
    for threat in threats:
        assert threat.description in source_text, threat.code


def test_areas_five_cs_with_sections(spr2012, source_text):
    areas = list(Area.objects.filter(edition=spr2012).order_by("position"))
    assert [(a.code, a.section) for a in areas] == [
        ("capacity", "3"),
        ("contribution", "3"),
        ("capability", "4"),
        ("consistency", "5"),
        ("connectivity", "6"),
    ]
    for area in areas:
        assert area.description in source_text, area.code


def test_judgement_scale_default_levels(spr2012):
    levels = list(JudgementLevel.objects.filter(edition=spr2012).order_by("position"))
    assert [(level.code, level.colour, level.score) for level in levels] == [
        ("assured", "green", 3),
        ("partially_assured", "yellow", 2),
        ("not_assured", "red", 1),
        ("not_yet_assessed", "grey", None),
    ]
    assert not levels[-1].is_assessed
