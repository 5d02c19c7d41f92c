"""The edition loader: idempotent, refuses malformed files whole, accepts other judgement scales."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from capabilities.editions import DEFAULT_JUDGEMENT_SCALE, EditionFileError, edition_load_file, editions_load
from capabilities.models import Area, Requirement
from threats.models import Edition, JudgementLevel, Threat

SPR_2012 = settings.SPR_EDITIONS_DIR / "spr-2012.yaml"
MODELS = [Edition, JudgementLevel, Threat, Area, Requirement]


def _spr2012() -> dict:
    """The shipped edition file as data, with its date kept as text."""
    data = yaml.safe_load(SPR_2012.read_text(encoding="utf-8"))
    data["edition"]["published_on"] = data["edition"]["published_on"].isoformat()
    return data


def _write(directory: Path, name: str, data: dict) -> Path:
    path = directory / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _snapshot() -> dict:
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def _requirement_links() -> set:
    through = Requirement.areas.through.objects.values_list("pk", "requirement_id", "area_id")
    threats = Requirement.threats.through.objects.values_list("pk", "requirement_id", "threat_id")
    return {("area", *row) for row in through} | {("threat", *row) for row in threats}


def _row_count() -> int:
    return sum(model.objects.count() for model in MODELS)


def test_load_editions_twice_keeps_rows_and_ids(db):
    call_command("load_editions", verbosity=0)
    before, links = _snapshot(), _requirement_links()
    texts = dict(Requirement.objects.values_list("pk", "text"))

    out = StringIO()
    call_command("load_editions", stdout=out)

    assert _snapshot() == before
    assert _requirement_links() == links
    assert dict(Requirement.objects.values_list("pk", "text")) == texts
    assert "spr-2012 unchanged" in out.getvalue()
    assert "38 requirements (0 created, 0 updated)" in out.getvalue()


def test_editions_load_reports_counts(db):
    [first] = editions_load()
    assert (first.code, first.edition, first.requirements.created, first.threats.created) == (
        "spr-2012",
        "created",
        38,
        5,
    )
    [second] = editions_load()
    assert not second.changed
    assert second.requirements.unchanged == 38


def test_edition_load_file_updates_in_place(db, tmp_path):
    edition_load_file(path=SPR_2012)
    requirement = Requirement.objects.get(ref="6.6")
    data = _spr2012()
    changed = next(r for r in data["requirements"] if r["ref"] == "6.6")
    changed["text"] = "Changed text."
    changed["threats"] = ["terrorism"]

    result = edition_load_file(path=_write(tmp_path, "spr-2012.yaml", data))

    requirement.refresh_from_db()
    assert requirement.text == "Changed text."
    assert [t.code for t in requirement.threats.all()] == ["terrorism"]
    assert (result.requirements.updated, result.requirements.created) == (1, 0)
    assert Requirement.objects.count() == 38


def test_load_editions_keeps_and_reports_rows_no_longer_in_file(db, tmp_path):
    call_command("load_editions", verbosity=0)
    data = _spr2012()
    data["requirements"] = [r for r in data["requirements"] if r["ref"] != "6.6"]
    _write(tmp_path, "spr-2012.yaml", data)

    out = StringIO()
    call_command("load_editions", "--dir", str(tmp_path), stdout=out)

    assert Requirement.objects.filter(ref="6.6").exists()
    assert "requirements no longer in the file were kept" in out.getvalue()
    assert "6.6" in out.getvalue()


def _drop_title(data):
    del data["edition"]["title"]


def _unknown_threat(data):
    data["requirements"][0]["threats"] = ["terrorism", "piracy"]


def _unknown_area(data):
    data["requirements"][5]["areas"] = ["courage"]


def _duplicate_ref(data):
    data["requirements"][1]["ref"] = data["requirements"][0]["ref"]


def _empty_text(data):
    data["requirements"][2]["text"] = "   "


def _impossible_date(data):
    data["edition"]["published_on"] = "2012-02-30"


def _wordy_date(data):
    data["edition"]["published_on"] = "July 2012"


def _unknown_colour(data):
    data["judgement_scale"][0]["colour"] = "amber"


def _numeric_ref(data):
    data["requirements"][-1]["ref"] = 6.6


def _no_requirements(data):
    data["requirements"] = []


def _unknown_key(data):
    data["requirements"][0]["txt"] = data["requirements"][0].pop("text")


def _duplicate_threat(data):
    data["threats"].append(dict(data["threats"][0]))


def _unknown_status(data):
    data["edition"]["status"] = "withdrawn"


def _bad_tier(data):
    data["threats"][0]["nsra_tier"] = "one"


def _no_area_on_requirement(data):
    data["requirements"][3]["areas"] = []


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (_drop_title, "edition is missing title"),
        (_unknown_threat, "threat 'piracy' is not one of this edition's threats"),
        (_unknown_area, "area 'courage' is not one of this edition's areas"),
        (_duplicate_ref, "ref '3.1(a)' is used more than once"),
        (_empty_text, "requirement '3.1(c)': text is empty"),
        (_impossible_date, "published_on '2012-02-30' is not a real date"),
        (_wordy_date, "published_on 'July 2012' is not a real date"),
        (_unknown_colour, "colour 'amber' is not one of"),
        (_numeric_ref, "ref must be text"),
        (_no_requirements, "requirements must be a list with at least one entry"),
        (_unknown_key, "has unknown key txt"),
        (_duplicate_threat, "threats: code 'terrorism' is used more than once"),
        (_unknown_status, "status 'withdrawn' is not one of"),
        (_bad_tier, "nsra_tier must be a whole number"),
        (_no_area_on_requirement, "areas must be a list with at least one entry"),
    ],
)
def test_load_editions_refuses_malformed_file_whole(db, tmp_path, mutate, problem):
    data = _spr2012()
    mutate(data)
    _write(tmp_path, "broken-edition.yaml", data)

    with pytest.raises(CommandError) as error:
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)

    assert "broken-edition.yaml" in str(error.value)
    assert problem in str(error.value)
    assert "Nothing was loaded" in str(error.value)
    assert _row_count() == 0


def test_load_editions_refuses_file_that_is_not_yaml(db, tmp_path):
    (tmp_path / "garbled.yaml").write_text("edition: [unclosed\n  code: x", encoding="utf-8")
    with pytest.raises(CommandError, match=r"garbled\.yaml: cannot be read"):
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)
    assert _row_count() == 0


def test_load_editions_lists_every_problem(db, tmp_path):
    data = _spr2012()
    _drop_title(data)
    _unknown_threat(data)
    _write(tmp_path, "two-problems.yaml", data)
    with pytest.raises(CommandError) as error:
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)
    assert "missing title" in str(error.value)
    assert "'piracy'" in str(error.value)


def test_load_editions_one_bad_file_of_several_loads_nothing(db, tmp_path):
    _write(tmp_path, "spr-2012.yaml", _spr2012())
    bad = _spr2012()
    bad["edition"]["code"] = "spr-2023"
    _unknown_area(bad)
    _write(tmp_path, "spr-2023.yaml", bad)

    with pytest.raises(CommandError) as error:
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)

    message = str(error.value)
    assert "Nothing was loaded: 1 of 2 edition files is malformed" in message
    assert "spr-2023.yaml" in message
    assert "spr-2012.yaml" not in message
    assert _row_count() == 0


def test_load_editions_refuses_two_files_with_one_code(db, tmp_path):
    _write(tmp_path, "a.yaml", _spr2012())
    _write(tmp_path, "b.yaml", _spr2012())
    with pytest.raises(CommandError, match=r"a\.yaml and b\.yaml: both define edition 'spr-2012'"):
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)
    assert _row_count() == 0


def test_load_editions_bad_file_leaves_loaded_edition_untouched(db, tmp_path):
    call_command("load_editions", verbosity=0)
    before = _snapshot()
    data = _spr2012()
    data["requirements"][0]["text"] = "Half-loaded text."
    _duplicate_ref(data)
    _write(tmp_path, "spr-2012.yaml", data)

    with pytest.raises(CommandError):
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)

    assert _snapshot() == before
    assert not Requirement.objects.filter(text="Half-loaded text.").exists()


def test_load_editions_empty_directory_refused(db, tmp_path):
    with pytest.raises(CommandError, match="holds no edition files"):
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)


def test_edition_load_file_raises_edition_file_error(db, tmp_path):
    data = _spr2012()
    _empty_text(data)
    path = _write(tmp_path, "spr-2012.yaml", data)
    with pytest.raises(EditionFileError) as error:
        edition_load_file(path=path)
    # The line of the empty text: the third requirement's `text:` key.
    lines = path.read_text().splitlines()
    ref_line = next(n for n, line in enumerate(lines) if "3.1(c)" in line)
    text_line = next(n for n in range(ref_line, len(lines)) if lines[n].lstrip().startswith("text:")) + 1
    assert error.value.problems == [f"spr-2012.yaml: line {text_line}: requirement '3.1(c)': text is empty"]
    assert _row_count() == 0


PEEL_GRADES = [
    {"code": "outstanding", "label": "Outstanding", "colour": "turquoise", "score": 5},
    {"code": "good", "label": "Good", "colour": "green", "score": 4},
    {"code": "adequate", "label": "Adequate", "colour": "yellow", "score": 3},
    {"code": "requires_improvement", "label": "Requires improvement", "colour": "orange", "score": 2},
    {"code": "inadequate", "label": "Inadequate", "colour": "red", "score": 1},
    {"code": "not_inspected", "label": "Not inspected", "colour": "grey", "score": None},
]


def test_load_editions_accepts_another_judgement_scale(db, tmp_path):
    data = _spr2012()
    data["edition"]["code"] = "spr-peel"
    data["judgement_scale"] = PEEL_GRADES
    _write(tmp_path, "spr-peel.yaml", data)

    call_command("load_editions", "--dir", str(tmp_path), verbosity=0)

    levels = JudgementLevel.objects.filter(edition__code="spr-peel").order_by("position")
    assert [(level.code, level.colour, level.score) for level in levels] == [
        (grade["code"], grade["colour"], grade["score"]) for grade in PEEL_GRADES
    ]
    assert Requirement.objects.filter(edition__code="spr-peel").count() == 38


def test_load_editions_without_scale_uses_default(db, tmp_path):
    data = _spr2012()
    del data["judgement_scale"]
    _write(tmp_path, "spr-2012.yaml", data)

    out = StringIO()
    call_command("load_editions", "--dir", str(tmp_path), stdout=out)

    codes = list(JudgementLevel.objects.order_by("position").values_list("code", flat=True))
    assert codes == [level["code"] for level in DEFAULT_JUDGEMENT_SCALE]
    assert "default scale was used" in out.getvalue()


def test_load_editions_scale_with_shared_score_refused(db, tmp_path):
    data = _spr2012()
    data["judgement_scale"][1]["score"] = 3
    _write(tmp_path, "spr-2012.yaml", data)
    with pytest.raises(CommandError, match="score 3 is used by more than one level"):
        call_command("load_editions", "--dir", str(tmp_path), verbosity=0)
    assert _row_count() == 0
