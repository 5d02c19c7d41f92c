import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments import services
from assessments.models import Action, ActionStatus, Assessment, Departure, DepartureStatus, Evidence, Response
from assessments.records import ResponseAnswer
from assessments.selectors import task_list
from core.audit import audit_verify
from core.models import AuditEntry
from core.uploads import clean_display_name
from tests.factories import PDF_BYTES, make_assessment, make_file_evidence, make_link_evidence, pdf_upload


@pytest.fixture
def home(forces):
    return forces["west-midlands"]


@pytest.fixture
def assessment(staff_user, home, spr2012):
    return make_assessment(user=staff_user, force=home, edition=spr2012)


def test_assessment_create_makes_one_unassessed_response_per_requirement(assessment, spr2012):
    responses = list(assessment.responses.select_related("judgement"))

    assert len(responses) == spr2012.requirements.count() == 38
    assert {response.judgement.code for response in responses} == {"not_yet_assessed"}
    assert {response.version for response in responses} == {1}
    assert assessment.status == Assessment.Status.DRAFT


def test_assessment_create_refuses_a_second_for_the_same_period(assessment, staff_user, home, spr2012):
    with pytest.raises(ValidationError, match="already has an assessment for 2025/26"):
        make_assessment(user=staff_user, force=home, edition=spr2012)

    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("period", ["2025", "2025/27", "25/26", "2025-26", ""])
def test_assessment_create_refuses_a_malformed_period(staff_user, home, spr2012, period):
    with pytest.raises(ValidationError):
        make_assessment(user=staff_user, force=home, edition=spr2012, period=period)

    assert not Assessment.objects.exists()


def test_assessment_create_is_refused_to_another_forces_staff_and_to_chiefs(
    other_staff_user, chief_user, inspector_user, home, spr2012
):
    for user in (other_staff_user, chief_user, inspector_user):
        with pytest.raises(PermissionDenied):
            make_assessment(user=user, force=home, edition=spr2012)

    assert not Assessment.objects.exists()


def test_national_admin_may_create_for_any_force(national_admin_user, forces, spr2012):
    assessment = make_assessment(user=national_admin_user, force=forces["dyfed-powys"], edition=spr2012)

    assert assessment.responses.count() == 38


def _answer(user, response, judgement="assured", narrative="Tested in March; see the report.", evidence_ids=None):
    return services.response_update(
        user=user,
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(judgement=judgement, narrative=narrative, evidence_ids=evidence_ids),
    )


def test_response_update_saves_and_raises_the_version(assessment, staff_user):
    response = assessment.responses.first()

    saved = _answer(staff_user, response)

    saved.refresh_from_db()
    assert (saved.judgement.code, saved.version, saved.updated_by) == ("assured", 2, staff_user)
    assert saved.status == "completed"
    assert task_list(assessment=assessment).completed == 1


def test_response_update_refuses_a_stale_version_and_keeps_the_winner(assessment, staff_user):
    response = assessment.responses.first()
    _answer(staff_user, response, narrative="First writer")

    with pytest.raises(services.StaleVersion) as refused:
        services.response_update(
            user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(narrative="Second writer")
        )

    assert refused.value.current.narrative == "First writer"
    response.refresh_from_db()
    assert (response.narrative, response.version) == ("First writer", 2)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"judgement": "excellent"}, "judgement"),
        ({"narrative": "x" * 10_001}, "narrative"),
        ({"evidence_ids": [999_999]}, "evidence"),
    ],
)
def test_response_update_refuses_bad_input_and_saves_nothing(assessment, staff_user, changes, field):
    response = assessment.responses.first()

    with pytest.raises(ValidationError) as refused:
        services.response_update(
            user=staff_user, response=response, expected_version=1, answer=ResponseAnswer(**changes)
        )

    assert field in refused.value.message_dict
    response.refresh_from_db()
    assert (response.version, response.narrative, response.judgement.code) == (1, "", "not_yet_assessed")


def test_response_update_refuses_another_forces_evidence(assessment, staff_user, other_staff_user, forces):
    foreign = make_link_evidence(user=other_staff_user, force=forces["kent"])
    response = assessment.responses.first()

    with pytest.raises(ValidationError):
        _answer(staff_user, response, evidence_ids=[foreign.id])

    assert not response.evidence.exists()


def test_response_update_is_refused_to_readers(assessment, chief_user, inspector_user):
    response = assessment.responses.first()
    for user in (chief_user, inspector_user):
        with pytest.raises(PermissionDenied):
            _answer(user, response)


def test_response_history_records_who_and_what(assessment, staff_user, home):
    item = make_link_evidence(user=staff_user, force=home)
    response = assessment.responses.first()
    _answer(staff_user, response, evidence_ids=[item.id])

    latest, first = response.history.all()[:2]
    delta = latest.diff_against(first)

    assert latest.history_user == staff_user
    assert {change.field for change in delta.changes} >= {"judgement", "narrative", "version", "evidence"}


def test_evidence_file_is_checked_hashed_and_stored_under_a_generated_name(staff_user, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    item = make_file_evidence(user=staff_user, force=home, upload=pdf_upload("Mutual aid – 2025.pdf"))

    assert item.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert (item.size, item.content_type, item.original_name) == (
        len(PDF_BYTES),
        "application/pdf",
        "Mutual aid – 2025.pdf",
    )
    assert "Mutual" not in item.file.name and item.file.name.startswith("evidence/west-midlands/")
    assert (tmp_path / item.file.name).read_bytes() == PDF_BYTES


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 60, "must be a PDF"),
        ("notes.txt", b"<!DOCTYPE html><script>alert(1)</script>", "must be a PDF"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_evidence_upload_refuses_bad_files_and_stores_nothing(
    staff_user, home, settings, tmp_path, name, content, message
):
    settings.MEDIA_ROOT = tmp_path

    with pytest.raises(ValidationError, match=message):
        make_file_evidence(user=staff_user, force=home, upload=SimpleUploadedFile(name, content))

    assert not Evidence.objects.exists()
    assert not list(tmp_path.rglob("*.*")) and not (tmp_path / "evidence").exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [("../../etc/passwd.pdf", "folder names"), ("..\\boot.ini", "folder names"), ("re\x07port.pdf", "control")],
)
def test_display_names_with_path_parts_or_control_characters_are_refused(name, message):
    # Django's multipart parser already strips both from HTTP uploads; this guards every other caller.
    with pytest.raises(ValidationError, match=message):
        clean_display_name(name)


def test_an_uploaded_path_is_kept_only_as_a_plain_display_name(staff_user, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    item = make_file_evidence(user=staff_user, force=home, upload=pdf_upload("../../etc/passwd.pdf"))

    assert item.original_name == "passwd.pdf"
    assert [path.relative_to(tmp_path).parts[:2] for path in tmp_path.rglob("*") if path.is_file()] == [
        ("evidence", "west-midlands")
    ]


def test_evidence_upload_refuses_files_over_the_limit(staff_user, home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024 * 1024

    with pytest.raises(ValidationError, match="smaller than 1 MB"):
        make_file_evidence(user=staff_user, force=home, upload=pdf_upload(content=PDF_BYTES + b"0" * 1024 * 1024))

    assert not Evidence.objects.exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "intranet/page"])
def test_evidence_link_accepts_only_web_addresses(staff_user, home, url):
    with pytest.raises(ValidationError):
        make_link_evidence(user=staff_user, force=home, url=url)

    assert not Evidence.objects.exists()


def test_evidence_past_review_is_flagged(staff_user, home):
    item = make_link_evidence(
        user=staff_user, force=home, evidence_date=dt.date(2023, 1, 1), review_by=dt.date(2024, 1, 1)
    )

    assert item.is_past_review


def test_start_from_last_year_copies_answers_evidence_open_actions_and_live_departures(staff_user, home, spr2012):
    last_year = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    item = make_link_evidence(user=staff_user, force=home)
    first = last_year.responses.select_related("requirement").first()
    _answer(staff_user, first, judgement="partially_assured", narrative="Gap in CBRN cover", evidence_ids=[item.id])
    for status in (ActionStatus.OPEN, ActionStatus.DONE):
        services.action_save(
            user=staff_user,
            assessment=last_year,
            requirement=first.requirement,
            gap="Gap",
            description="Train 10",
            owner="ACC Operations",
            due_date=dt.date(2025, 12, 1),
            status=status,
        )
    for status in (DepartureStatus.LIVE, DepartureStatus.WITHDRAWN):
        services.departure_save(
            user=staff_user,
            assessment=last_year,
            requirement=first.requirement,
            departing_party="chief_constable",
            circumstances="c",
            reasons="r",
            alternative_arrangements="a",
            residual_risk="low",
            review_date=dt.date(2026, 3, 31),
            status=status,
            evidence_ids=[item.id],
        )

    draft = make_assessment(user=staff_user, force=home, edition=spr2012, start_from_previous=True)

    copied = draft.responses.get(requirement=first.requirement)
    assert copied.narrative == "Gap in CBRN cover"
    assert copied.judgement.code == "not_yet_assessed"
    assert list(copied.evidence.all()) == [item]
    # Each response is created once with what it carries: one history record, one audit entry.
    (record,) = copied.history.all()
    assert record.history_type == "+" and record.narrative == "Gap in CBRN cover"
    (entry,) = AuditEntry.objects.filter(model="assessments.response", object_id=str(copied.pk))
    assert entry.changes["narrative"] == [None, "Gap in CBRN cover"] and entry.actor_id == staff_user.pk
    assert draft.responses.count() == last_year.responses.count()
    assert audit_verify().first_broken_id is None
    assert list(Action.objects.filter(assessment=draft).values_list("status", flat=True)) == [ActionStatus.OPEN]
    departure = Departure.objects.get(assessment=draft)
    assert departure.status == DepartureStatus.LIVE and list(departure.evidence.all()) == [item]
    assert draft.started_from == last_year


def test_start_from_last_year_can_keep_judgements(staff_user, home, spr2012):
    last_year = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    _answer(staff_user, last_year.responses.first())

    draft = make_assessment(
        user=staff_user, force=home, edition=spr2012, start_from_previous=True, keep_judgements=True
    )

    assert draft.responses.filter(judgement__code="assured").count() == 1


def test_start_from_last_year_needs_a_previous_assessment(staff_user, home, spr2012):
    with pytest.raises(ValidationError, match="no 2024/25 assessment"):
        make_assessment(user=staff_user, force=home, edition=spr2012, start_from_previous=True)

    assert not Response.objects.exists()


def test_visible_to_keeps_forces_apart(assessment, staff_user, other_staff_user, inspector_user, chief_user):
    assert list(Assessment.objects.visible_to(other_staff_user)) == []
    assert Response.objects.visible_to(other_staff_user).count() == 0
    assert Assessment.objects.visible_to(chief_user).get() == assessment
    assert Response.objects.visible_to(inspector_user).count() == 0  # HMIC reads drafts only when published


def test_evidence_review_date_cannot_precede_its_date_on_create_or_update(staff_user, home):
    with pytest.raises(ValidationError, match="on or after the evidence date"):
        make_link_evidence(
            user=staff_user, force=home, evidence_date=dt.date(2025, 4, 1), review_by=dt.date(2025, 1, 1)
        )
    item = make_link_evidence(user=staff_user, force=home, evidence_date=dt.date(2025, 4, 1))

    with pytest.raises(ValidationError, match="on or after the evidence date"):
        services.evidence_update(user=staff_user, evidence=item, review_by=dt.date(2024, 12, 31))

    item.refresh_from_db()
    assert item.review_by is None
