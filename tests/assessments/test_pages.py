"""The self-assessment pages: who may see and change what, forms, errors and escaping."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import services
from assessments.models import Action, Assessment, Departure, DepartureStatus, Evidence, Response
from assessments.records import ResponseAnswer
from tests.factories import PDF_BYTES, make_assessment, make_file_evidence, make_link_evidence, pdf_upload

REF = "3.2(a)(ii)"


@pytest.fixture
def home(forces):
    return forces["west-midlands"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def assessment(staff_user, home, spr2012):
    return make_assessment(user=staff_user, force=home, edition=spr2012)


@pytest.fixture
def records(assessment, staff_user, home, media):
    """One of everything for the home force: the URLs of these must answer 404 to another force."""
    link = make_link_evidence(user=staff_user, force=home)
    upload = make_file_evidence(user=staff_user, force=home)
    departure = services.departure_save(
        user=staff_user,
        assessment=assessment,
        requirement="4.1(c)",
        departing_party="chief_constable",
        circumstances="A regional unit provides it.",
        reasons="Economies of scale.",
        alternative_arrangements="Collaboration agreement with the ROCU.",
        residual_risk="Low.",
        review_date=dt.date(2099, 3, 31),
    )
    action = services.action_save(
        user=staff_user,
        assessment=assessment,
        requirement="6.4",
        gap="No joint exercise this year.",
        description="Run a joint exercise with the fire service.",
        owner="Head of Operations",
        due_date=dt.date(2099, 3, 31),
    )
    return {"assessment": assessment, "link": link, "file": upload, "departure": departure, "action": action}


def _object_urls(records) -> list[str]:
    pk = records["assessment"].pk
    return [
        reverse("assessments:detail", args=[pk]),
        reverse("assessments:check", args=[pk]),
        reverse("assessments:response", args=[pk, REF]),
        reverse("assessments:departures", args=[pk]),
        reverse("assessments:departure-create", args=[pk]),
        reverse("assessments:departure-edit", args=[pk, records["departure"].pk]),
        reverse("assessments:actions", args=[pk]),
        reverse("assessments:action-create", args=[pk]),
        reverse("assessments:action-edit", args=[pk, records["action"].pk]),
        reverse("assessments:evidence-detail", args=[records["link"].pk]),
        reverse("assessments:evidence-detail", args=[records["file"].pk]),
        reverse("assessments:evidence-download", args=[records["file"].pk]),
    ]


LIST_URLS = ["assessments:list", "assessments:create", "assessments:evidence-list", "assessments:evidence-create"]


def _response(assessment, ref=REF) -> Response:
    return Response.objects.select_related("judgement").get(assessment=assessment, requirement__ref=ref)


def _post_response(client, assessment, ref=REF, **data):
    payload = {
        "judgement": "assured",
        "narrative": "Tested at the regional exercise in March.",
        "version": _response(assessment, ref).version,
        "action": "continue",
    }
    payload.update(data)
    return client.post(reverse("assessments:response", args=[assessment.pk, ref]), payload)


def _error_links(response) -> list[str]:
    """The fields the error summary links to."""
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    return re.findall(r'href="#([^"]+)"', summary)


def _counts() -> tuple[int, int, int, int]:
    return (
        Evidence.objects.count(),
        Response.history.count(),
        Departure.objects.count(),
        Action.objects.count(),
    )


# ----------------------------------------------------------------------------- access


def test_pages_answer_200_to_staff_of_the_force(staff_client, records):
    for url in [reverse(name) for name in LIST_URLS] + _object_urls(records):
        assert staff_client.get(url).status_code == 200, url


def test_pages_answer_404_to_another_forces_staff(other_staff_client, records):
    for url in _object_urls(records):
        assert other_staff_client.get(url).status_code == 404, url
        assert other_staff_client.post(url, {}).status_code in {404, 405}, url


def test_lists_show_another_force_nothing(other_staff_client, records):
    page = other_staff_client.get(reverse("assessments:list")).content.decode()
    assert "West Midlands" not in page
    page = other_staff_client.get(reverse("assessments:evidence-list")).content.decode()
    assert records["link"].title not in page and records["file"].title not in page


def test_pages_send_anonymous_users_to_sign_in(client, records):
    for url in [reverse(name) for name in LIST_URLS] + _object_urls(records):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith(reverse("login")), url


@pytest.mark.parametrize("reader", ["chief_client", "pcc_client", "inspector_client"])
def test_readers_see_pages_without_forms_and_may_not_post(request, reader, records):
    client = request.getfixturevalue(reader)
    assessment = records["assessment"]
    if reader == "inspector_client":
        # HMIC reads published assessments only (a draft is a 404 to them, like another force's).
        assert client.get(reverse("assessments:detail", args=[assessment.pk])).status_code == 404
        Assessment.objects.filter(pk=assessment.pk).update(status="published")
    before = _counts()

    page = client.get(reverse("assessments:response", args=[assessment.pk, REF]))
    assert page.status_code == 200
    assert 'name="version"' not in page.content.decode() and 'name="narrative"' not in page.content.decode()
    detail = client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "You can read this assessment but not change it" in detail
    assert (
        "Record a departure" not in client.get(reverse("assessments:departures", args=[assessment.pk])).content.decode()
    )
    assert "Add an action" not in client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()

    assert _post_response(client, assessment).status_code == 403
    for name in ("assessments:departure-create", "assessments:action-create"):
        assert client.get(reverse(name, args=[assessment.pk])).status_code == 403
        assert client.post(reverse(name, args=[assessment.pk]), {}).status_code == 403
    assert client.post(reverse("assessments:evidence-create"), {"kind": "link"}).status_code == 403
    assert client.post(reverse("assessments:create"), {"period": "2026/27"}).status_code == 403
    assert _counts() == before
    assert _response(assessment).version == 1


def test_create_button_shows_only_to_those_who_may_create(staff_client, chief_client, inspector_client, assessment):
    button = "Create an assessment"
    assert button in staff_client.get(reverse("assessments:list")).content.decode()
    assert button not in chief_client.get(reverse("assessments:list")).content.decode()
    assert button not in inspector_client.get(reverse("assessments:list")).content.decode()


def test_navigation_links_to_assessments_and_evidence(staff_client, spr2012):
    page = staff_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("assessments:list")}"' in page
    assert f'href="{reverse("assessments:evidence-list")}"' in page


def test_writes_need_post_with_csrf(records, staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert _post_response(client, records["assessment"]).status_code == 403
    assert _response(records["assessment"]).version == 1


# ----------------------------------------------------------------------------- creating assessments


def test_assessment_create_makes_a_draft_for_the_staff_members_force(staff_client, home, forces, spr2012):
    answer = staff_client.post(
        reverse("assessments:create"),
        {"edition": spr2012.pk, "period": "2025/26", "force": forces["kent"].pk},
    )

    assessment = Assessment.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("assessments:detail", args=[assessment.pk])
    assert assessment.force == home and assessment.responses.count() == 38


def test_assessment_create_refuses_a_duplicate_with_an_error_summary(staff_client, assessment, spr2012):
    answer = staff_client.post(reverse("assessments:create"), {"edition": spr2012.pk, "period": "2025/26"})

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "<title>Error: " in page and "govuk-error-summary" in page
    assert "West Midlands Police already has an assessment for 2025/26" in page
    assert _error_links(answer) == ["id_period"]
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"period": ""}, "Enter the reporting period", "id_period"),
        ({"period": "2025/27"}, "Enter the reporting period as a financial year, like 2025/26", "id_period"),
        ({"period": "2025/26", "start_from_previous": "on"}, "There is no 2024/25 assessment to start from", None),
        ({"period": "2025/26", "keep_judgements": "on"}, "to keep its judgements", "id_keep_judgements"),
    ],
)
def test_assessment_create_shows_gds_errors(staff_client, spr2012, data, message, field):
    answer = staff_client.post(reverse("assessments:create"), {"edition": spr2012.pk, **data})

    assert answer.status_code == 400
    assert message in answer.content.decode()
    if field:
        assert field in _error_links(answer)
    assert not Assessment.objects.exists()


def test_national_admin_picks_the_force(national_admin_client, forces, spr2012):
    answer = national_admin_client.post(reverse("assessments:create"), {"edition": spr2012.pk, "period": "2025/26"})
    assert answer.status_code == 400 and "Select a force" in answer.content.decode()

    answer = national_admin_client.post(
        reverse("assessments:create"), {"edition": spr2012.pk, "period": "2025/26", "force": forces["kent"].pk}
    )
    assert answer.status_code == 302 and Assessment.objects.get().force == forces["kent"]


@pytest.mark.parametrize("keep", [False, True])
def test_start_from_last_year_copies_the_record_and_resets_judgements_unless_kept(
    staff_client, staff_user, home, spr2012, keep
):
    last_year = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    item = make_link_evidence(user=staff_user, force=home)
    response = _response(last_year)
    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(judgement="partially_assured", narrative="Last year's words.", evidence_ids=[item.pk]),
    )
    for status in ("open", "done"):
        services.action_save(
            user=staff_user,
            assessment=last_year,
            requirement="6.4",
            gap="Gap",
            description=f"An action {status}",
            owner="Ops",
            due_date=dt.date(2026, 1, 1),
            status=status,
        )
    for status in (DepartureStatus.LIVE, DepartureStatus.WITHDRAWN):
        services.departure_save(
            user=staff_user,
            assessment=last_year,
            requirement="4.1(c)",
            departing_party="pcc",
            circumstances=f"Circumstances {status}",
            reasons="R",
            alternative_arrangements="A",
            residual_risk="Low",
            review_date=dt.date(2026, 1, 1),
            status=status,
        )

    data = {"edition": spr2012.pk, "period": "2025/26", "start_from_previous": "on"}
    if keep:
        data["keep_judgements"] = "on"
    answer = staff_client.post(reverse("assessments:create"), data)

    new = Assessment.objects.get(period="2025/26")
    assert answer.status_code == 302
    copied = _response(new)
    assert copied.narrative == "Last year's words."
    assert list(copied.evidence.all()) == [item]
    assert copied.judgement.code == ("partially_assured" if keep else "not_yet_assessed")
    assert list(new.actions.values_list("description", flat=True)) == ["An action open"]
    assert list(new.departures.values_list("circumstances", flat=True)) == ["Circumstances live"]
    assert new.started_from == last_year


# ----------------------------------------------------------------------------- the task list and responses


def test_task_list_lists_each_requirement_once_with_threats_as_tags(staff_client, assessment):
    page = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()

    assert "You have completed 0 of 38 requirements" in page
    assert page.count("govuk-task-list__item govuk-task-list__item--with-link") == 38
    assert page.count(f'href="{reverse("assessments:response", args=[assessment.pk, "3.1(a)"])}"') == 1
    for tag in ("Terrorism", "Organised crime", "All threats", "Capacity", "Connectivity"):
        assert f'govuk-tag--{"grey" if tag in ("Capacity", "Connectivity") else "blue"}">{tag}</strong>' in page
    assert reverse("assessments:response", args=[assessment.pk, "3.2(a)(ii)"]) in page
    for name in ("assessments:check", "assessments:departures", "assessments:actions"):
        assert reverse(name, args=[assessment.pk]) in page


def test_response_page_shows_the_requirement_and_the_scale(staff_client, assessment):
    page = staff_client.get(reverse("assessments:response", args=[assessment.pk, "3.2(a)(ii)"])).content.decode()

    assert "Requirement 3.2(a)(ii)" in page and "paragraph 3.2" in page
    labels = re.findall(r'class="govuk-label govuk-radios__label" for="[^"]+">([^<]+)<', page)
    assert labels == ["Assured", "Partially assured", "Not assured", "Not yet assessed"]
    assert 'id="id_judgement"' in page
    assert 'data-module="govuk-character-count" data-maxlength="10000"' in page
    assert "You can enter up to 10000 characters" in page
    assert 'name="version" value="1"' in page


def test_response_page_says_requirement_n_of_38_with_previous_and_next(staff_client, assessment):
    page = staff_client.get(reverse("assessments:response", args=[assessment.pk, "3.1(b)"])).content.decode()
    assert "Requirement 2 of 38" in page
    assert f'href="{reverse("assessments:response", args=[assessment.pk, "3.1(a)"])}" rel="prev"' in page
    assert f'href="{reverse("assessments:response", args=[assessment.pk, "3.1(c)"])}" rel="next"' in page
    first = staff_client.get(reverse("assessments:response", args=[assessment.pk, "3.1(a)"])).content.decode()
    assert "Requirement 1 of 38" in first and 'rel="prev"' not in first


def test_saving_a_response_moves_progress_and_continues_to_the_next_requirement(staff_client, assessment):
    answer = _post_response(staff_client, assessment, "3.1(a)")

    assert answer.status_code == 302
    assert answer.url == reverse("assessments:response", args=[assessment.pk, "3.1(b)"])
    saved = _response(assessment, "3.1(a)")
    assert (saved.judgement.code, saved.version) == ("assured", 2)
    page = staff_client.get(reverse("assessments:detail", args=[assessment.pk])).content.decode()
    assert "You have completed 1 of 38 requirements" in page


def test_save_and_continue_on_the_last_requirement_goes_to_check_answers(staff_client, assessment):
    answer = _post_response(staff_client, assessment, "6.6")

    assert answer.url == reverse("assessments:check", args=[assessment.pk])


def test_save_as_draft_stays_with_a_success_banner(staff_client, assessment):
    answer = _post_response(staff_client, assessment, action="draft", narrative="")

    assert answer.url == reverse("assessments:response", args=[assessment.pk, REF])
    page = staff_client.get(answer.url).content.decode()
    assert "govuk-notification-banner--success" in page and "saved as a draft" in page
    assert _response(assessment).judgement.code == "assured"


def test_save_and_continue_needs_a_narrative_for_a_judgement(staff_client, assessment):
    answer = _post_response(staff_client, assessment, narrative="  ")

    assert answer.status_code == 400
    assert "Enter a narrative that explains the judgement" in answer.content.decode()
    assert _error_links(answer) == ["id_narrative"]
    assert _response(assessment).version == 1


def test_response_links_library_evidence_and_adds_a_link_in_the_same_save(staff_client, records):
    assessment = records["assessment"]

    answer = _post_response(
        staff_client,
        assessment,
        evidence=[records["link"].pk],
        new_link_title="Regional exercise report",
        new_link_url="https://intranet.example.police.uk/exercise",
    )

    assert answer.status_code == 302
    titles = sorted(_response(assessment).evidence.values_list("title", flat=True))
    assert titles == ["Force CONTEST delivery plan", "Regional exercise report"]
    page = staff_client.get(reverse("assessments:response", args=[assessment.pk, REF])).content.decode()
    assert "Evidence added: Regional exercise report" in page


def test_response_uploads_a_file_in_the_same_save(staff_client, assessment, media):
    answer = _post_response(
        staff_client, assessment, new_file_title="Mutual aid plan", new_file=pdf_upload("Mutual aid plan.pdf")
    )

    assert answer.status_code == 302
    item = _response(assessment).evidence.get()
    assert (item.kind, item.original_name, item.size) == ("file", "Mutual aid plan.pdf", len(PDF_BYTES))
    assert (media / item.file.name).read_bytes() == PDF_BYTES


def test_stale_version_answers_409_with_the_current_text_and_keeps_the_users(
    staff_client, staff_user, make_user, assessment
):
    from core.roles import Role

    colleague = make_user(Role.PCC_STAFF, "west-midlands", "colleague")
    colleague.first_name, colleague.last_name = "Sam", "Jones"
    colleague.save()
    services.response_update(
        user=colleague,
        response=_response(assessment),
        expected_version=1,
        answer=ResponseAnswer(judgement="not_assured", narrative="Theirs: <b>no</b> exercise held."),
    )

    answer = _post_response(staff_client, assessment, version=1, narrative="Mine: tested in March.")

    assert answer.status_code == 409
    page = answer.content.decode()
    assert "<title>Error: " in page
    assert "This response was changed by Sam Jones at " in page and "since you opened it" in page
    assert "Theirs: &lt;b&gt;no&lt;/b&gt; exercise held." in page and "<b>no</b>" not in page
    assert "Mine: tested in March.</textarea>" in page
    assert 'name="version" value="2"' in page
    assert _response(assessment).narrative == "Theirs: <b>no</b> exercise held."

    again = _post_response(staff_client, assessment, version=2, narrative="Mine: tested in March.")
    assert again.status_code == 302
    assert _response(assessment).narrative == "Mine: tested in March."


EXE = b"MZ\x90\x00\x03" + b"\x00" * 60
HTML = b"<!DOCTYPE html><script>alert(1)</script>"


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"judgement": "excellent"}, "Select a judgement from the scale", "id_judgement"),
        ({"judgement": ""}, "Select a judgement", "id_judgement"),
        ({"narrative": "x" * 10_001}, "Narrative must be 10,000 characters or fewer", "id_narrative"),
        ({"version": ""}, "Reload the page and try again", None),
        ({"evidence": ["999999"]}, "Choose evidence from your force&#x27;s library", "id_evidence"),
        (
            {"new_link_title": "Bad", "new_link_url": "javascript:alert(1)"},
            "Enter a web address in the correct format, like https://www.example.police.uk",
            "id_new_link_url",
        ),
        ({"new_link_title": ""}, "Enter a title for the link", "id_new_link_title"),
        (
            {"new_file_title": "Report", "new_file": SimpleUploadedFile("report.pdf", EXE)},
            "The selected file must be a PDF",
            "id_new_file",
        ),
        (
            {"new_file_title": "Page", "new_file": SimpleUploadedFile("page.txt", HTML)},
            "The selected file must be a PDF",
            "id_new_file",
        ),
        ({"new_file_title": "Nothing"}, "Select a file", "id_new_file"),
    ],
)
def test_bad_response_input_answers_400_and_saves_nothing(staff_client, records, media, data, message, field):
    assessment = records["assessment"]
    before = _counts()

    answer = _post_response(
        staff_client,
        assessment,
        # A good new link alongside: it must not be saved when anything else is refused.
        **{"new_link_title": "Good link", "new_link_url": "https://example.org/good", **data},
    )

    assert answer.status_code == 400
    assert "govuk-error-summary" in answer.content.decode()
    assert message in answer.content.decode()
    if field:
        assert field in _error_links(answer)
    assert _counts() == before
    assert _response(assessment).version == 1
    # Only the fixture's own file is on disk: a refused upload leaves nothing behind.
    assert len([path for path in media.rglob("*") if path.is_file()]) == 1


def test_oversized_file_answers_400_and_saves_nothing(staff_client, assessment, media, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1024 * 1024
    before = _counts()

    answer = _post_response(
        staff_client,
        assessment,
        new_file_title="Big",
        new_file=pdf_upload("big.pdf", PDF_BYTES + b"0" * (1024 * 1024)),
    )

    assert answer.status_code == 400
    assert "The selected file must be smaller than 1 MB" in answer.content.decode()
    assert _error_links(answer) == ["id_new_file"]
    assert _counts() == before
    assert not [path for path in media.rglob("*") if path.is_file()]


def _raw_multipart(fields: dict, file_field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body with the file name sent exactly as given (the test client would strip it)."""
    boundary = "spr-test-boundary"
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("../../etc/passwd.pdf", "The file name must not contain folder names"),
        ("..\\..\\boot.pdf", "The file name must not contain folder names"),
        ("re\x07port.pdf", "The file name must not contain control characters"),
        ("\x07\x08", "The file name must not contain control characters"),
    ],
)
def test_hostile_file_names_are_refused_not_renamed(staff_client, assessment, media, filename, message):
    # As the API refuses them (core.multipart): the page never files an item under a name its sender
    # did not choose.
    body, content_type = _raw_multipart(
        {"judgement": "assured", "narrative": "N", "version": "1", "action": "draft", "new_file_title": "Plan"},
        "new_file",
        filename,
        PDF_BYTES,
    )

    answer = staff_client.generic(
        "POST", reverse("assessments:response", args=[assessment.pk, REF]), body, content_type=content_type
    )

    assert answer.status_code == 400 and message in answer.content.decode()
    assert _error_links(answer) == ["id_new_file"]
    assert not Evidence.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


def test_html_in_a_narrative_is_shown_escaped(staff_client, chief_client, staff_user, assessment):
    script = "<script>alert(1)</script>"
    services.response_update(
        user=staff_user,
        response=_response(assessment),
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative=script),
    )
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"

    for client in (staff_client, chief_client):
        for url in (
            reverse("assessments:detail", args=[assessment.pk]),
            reverse("assessments:response", args=[assessment.pk, REF]),
            reverse("assessments:check", args=[assessment.pk]),
        ):
            page = client.get(url).content.decode()
            assert script not in page, url
    assert escaped in staff_client.get(reverse("assessments:response", args=[assessment.pk, REF])).content.decode()
    assert escaped in chief_client.get(reverse("assessments:response", args=[assessment.pk, REF])).content.decode()
    assert escaped in staff_client.get(reverse("assessments:check", args=[assessment.pk])).content.decode()


def test_check_answers_calls_out_unanswered_requirements(staff_client, assessment):
    _post_response(staff_client, assessment, "3.1(a)")

    page = staff_client.get(reverse("assessments:check", args=[assessment.pk])).content.decode()

    assert "37 requirements are not completed yet" in page
    unanswered = page[page.index('id="unanswered"') : page.index("</ul>", page.index('id="unanswered"'))]
    assert reverse("assessments:response", args=[assessment.pk, "3.1(b)"]) in unanswered
    assert reverse("assessments:response", args=[assessment.pk, "3.1(a)"]) not in unanswered
    assert 'Change<span class="govuk-visually-hidden"> judgement for 3.1(a)</span>' in page
    assert "Submit to the chief constable" in page


def test_change_history_says_who_changed_what(staff_client, staff_user, assessment):
    staff_user.first_name, staff_user.last_name = "Alex", "Patel"
    staff_user.save()
    _post_response(staff_client, assessment, action="draft")

    page = staff_client.get(reverse("assessments:response", args=[assessment.pk, REF])).content.decode()

    history = page[page.index('id="history"') :]
    assert "Alex Patel" in history
    assert "Judgement changed from Not yet assessed to Assured" in history
    assert "Narrative changed" in history and "Response created" in history


# ----------------------------------------------------------------------------- evidence


def test_evidence_list_shows_the_library_and_flags_past_review(staff_client, staff_user, home):
    make_link_evidence(
        user=staff_user, force=home, title="Old plan", evidence_date=dt.date(2022, 1, 1), review_by=dt.date(2023, 1, 1)
    )
    make_link_evidence(user=staff_user, force=home, title="New plan", review_by=dt.date(2099, 1, 1))

    page = staff_client.get(reverse("assessments:evidence-list")).content.decode()

    assert "Old plan" in page and "New plan" in page
    assert page.count("Review overdue") == 1
    assert "govuk-tag govuk-tag--red" in page


def test_evidence_list_lets_national_roles_filter_by_force(national_admin_client, staff_user, other_staff_user, forces):
    make_link_evidence(user=staff_user, force=forces["west-midlands"], title="Home plan")
    make_link_evidence(user=other_staff_user, force=forces["kent"], title="Kent plan")

    everything = national_admin_client.get(reverse("assessments:evidence-list")).content.decode()
    kent = national_admin_client.get(reverse("assessments:evidence-list"), {"force": "kent"}).content.decode()

    assert "Home plan" in everything and "Kent plan" in everything and ">Force</th>" in everything
    assert "Kent plan" in kent and "Home plan" not in kent


def test_evidence_create_adds_a_link(staff_client, home):
    answer = staff_client.post(
        reverse("assessments:evidence-create"),
        {
            "kind": "link",
            "title": "CONTEST plan",
            "owner": "Special Branch",
            "evidence_date_day": "1",
            "evidence_date_month": "4",
            "evidence_date_year": "2025",
            "protective_marking": "OFFICIAL",
            "url": "https://intranet.example.police.uk/contest",
        },
    )

    item = Evidence.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("assessments:evidence-detail", args=[item.pk])
    assert (item.force, item.kind, item.evidence_date, item.protective_marking) == (
        home,
        "link",
        dt.date(2025, 4, 1),
        "OFFICIAL",
    )


def test_evidence_create_uploads_a_file_and_shows_its_details(staff_client, media):
    answer = staff_client.post(
        reverse("assessments:evidence-create"),
        {
            "kind": "file",
            "title": "Exercise <b>report</b>",
            "owner": "Operations",
            "evidence_date_day": "1",
            "evidence_date_month": "5",
            "evidence_date_year": "2025",
            "protective_marking": "OFFICIAL-SENSITIVE",
            "upload": pdf_upload("Exercise & report.pdf"),
        },
    )

    assert answer.status_code == 302
    page = staff_client.get(answer.url).content.decode()
    item = Evidence.objects.get()
    assert item.sha256 in page and "application/pdf" in page
    assert "Exercise &lt;b&gt;report&lt;/b&gt;" in page and "<b>report</b>" not in page
    assert "Exercise &amp; report.pdf" in page and (item.size, item.original_name) == (
        len(PDF_BYTES),
        "Exercise & report.pdf",
    )


@pytest.mark.parametrize(
    ("data", "message", "field"),
    [
        ({"kind": ""}, "Select the kind of evidence", "id_kind"),
        ({"kind": "link", "url": ""}, "Enter the web address", "id_url"),
        (
            {"kind": "link", "url": "javascript:alert(1)"},
            "Enter a web address in the correct format, like https://www.example.police.uk",
            "id_url",
        ),
        (
            {"kind": "link", "url": "https://not a web address"},
            "Enter a web address in the correct format, like https://www.example.police.uk",
            "id_url",
        ),
        ({"kind": "reference", "reference": ""}, "Enter the reference", "id_reference"),
        ({"kind": "file"}, "Select a file", "id_upload"),
        ({"kind": "file", "upload": SimpleUploadedFile("x.pdf", EXE)}, "The selected file must be a PDF", "id_upload"),
        (
            {"kind": "link", "evidence_date_month": ""},
            "Date of the evidence must include a month",
            "id_evidence_date_day",
        ),
        ({"kind": "link", "evidence_date_day": "31", "evidence_date_month": "2"}, "must be a real date", None),
        ({"kind": "link", "title": ""}, "Enter a title", "id_title"),
        ({"kind": "link", "title": "x" * 201}, "Title must be 200 characters or fewer", "id_title"),
        ({"kind": "reference", "reference": "x" * 301}, "Reference must be 300 characters or fewer", "id_reference"),
    ],
)
def test_evidence_create_shows_gds_errors_and_saves_nothing(staff_client, media, data, message, field):
    payload = {
        "title": "Plan",
        "owner": "Ops",
        "evidence_date_day": "1",
        "evidence_date_month": "4",
        "evidence_date_year": "2025",
        "protective_marking": "OFFICIAL",
        "url": "https://example.org/plan",
    }
    payload.update(data)

    answer = staff_client.post(reverse("assessments:evidence-create"), payload)

    assert answer.status_code == 400
    page = answer.content.decode()
    assert "<title>Error: " in page and message in page
    if field:
        assert field in _error_links(answer)
    assert not Evidence.objects.exists()


def test_evidence_download_is_an_attachment_with_nosniff_and_the_right_bytes(staff_client, chief_client, records):
    url = reverse("assessments:evidence-download", args=[records["file"].pk])

    for client in (staff_client, chief_client):
        answer = client.get(url)
        assert answer.status_code == 200
        assert answer["Content-Disposition"].startswith("attachment;")
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["Content-Type"] == "application/pdf"
        assert b"".join(answer.streaming_content) == PDF_BYTES


def test_evidence_download_of_a_link_is_404(staff_client, records):
    assert staff_client.get(reverse("assessments:evidence-download", args=[records["link"].pk])).status_code == 404


# ----------------------------------------------------------------------------- registers


def _departure_data(**changes):
    data = {
        "requirement": "5.1(a)",
        "departing_party": "both",
        "circumstances": "The force relies on a neighbour's team.",
        "reasons": "Too small to sustain its own.",
        "alternative_arrangements": "Section 22A agreement.",
        "residual_risk": "Response times up to 2 hours.",
        "review_date_day": "31",
        "review_date_month": "3",
        "review_date_year": "2027",
        "status": "live",
    }
    data.update(changes)
    return data


def test_departures_register_records_and_changes_a_departure(staff_client, records):
    assessment = records["assessment"]
    register = staff_client.get(reverse("assessments:departures", args=[assessment.pk])).content.decode()
    assert "A departure is not a judgement" in register and "§1.9" in register

    answer = staff_client.post(
        reverse("assessments:departure-create", args=[assessment.pk]),
        _departure_data(evidence=[records["link"].pk]),
    )
    assert answer.status_code == 302 and answer.url == reverse("assessments:departures", args=[assessment.pk])
    departure = Departure.objects.get(requirement__ref="5.1(a)")
    assert departure.review_date == dt.date(2027, 3, 31) and list(departure.evidence.all()) == [records["link"]]

    edit = reverse("assessments:departure-edit", args=[assessment.pk, departure.pk])
    assert "Section 22A agreement." in staff_client.get(edit).content.decode()
    answer = staff_client.post(edit, _departure_data(status="withdrawn"))
    assert answer.status_code == 302
    departure.refresh_from_db()
    assert departure.status == "withdrawn"


def test_departure_form_shows_gds_errors(staff_client, assessment):
    answer = staff_client.post(
        reverse("assessments:departure-create", args=[assessment.pk]),
        _departure_data(reasons="", requirement="9.9", review_date_year=""),
    )

    assert answer.status_code == 400
    page = answer.content.decode()
    for message in ("Enter the reasons for the departure", "Select a requirement", "Review date must include a year"):
        assert message in page
    assert {"id_requirement", "id_reasons", "id_review_date_day"} <= set(_error_links(answer))
    assert not Departure.objects.exists()


def _action_data(**changes):
    data = {
        "requirement": "6.4",
        "gap": "No tested plan.",
        "description": "Test the plan.",
        "owner": "Head of Operations",
        "due_date_day": "1",
        "due_date_month": "1",
        "due_date_year": "2020",
        "status": "open",
    }
    data.update(changes)
    return data


def test_actions_register_records_an_action_and_flags_it_overdue(staff_client, records):
    assessment = records["assessment"]

    # a due date in the past is refused, with a clear message
    before = Action.objects.count()
    refused = staff_client.post(reverse("assessments:action-create", args=[assessment.pk]), _action_data())
    assert refused.status_code == 400
    assert "Due date must be today or in the future" in refused.content.decode()
    assert Action.objects.count() == before

    answer = staff_client.post(
        reverse("assessments:action-create", args=[assessment.pk]), _action_data(due_date_year="2099")
    )
    assert answer.status_code == 302
    Action.objects.filter(due_date=dt.date(2099, 1, 1)).update(
        due_date=dt.date(2020, 1, 1)
    )  # time passes: the action is now overdue
    page = staff_client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert page.count('>Overdue<span class="govuk-visually-hidden">: this action is past its due date</span>') == 1
    action = Action.objects.get(due_date=dt.date(2020, 1, 1))
    answer = staff_client.post(
        reverse("assessments:action-edit", args=[assessment.pk, action.pk]), _action_data(status="done")
    )
    assert answer.status_code == 302
    page = staff_client.get(reverse("assessments:actions", args=[assessment.pk])).content.decode()
    assert "Overdue<span" not in page


def test_action_form_shows_gds_errors(staff_client, assessment):
    answer = staff_client.post(
        reverse("assessments:action-create", args=[assessment.pk]), _action_data(owner="", status="lost")
    )

    assert answer.status_code == 400
    body = answer.content.decode()
    assert "Choose the owner, or enter the name of someone outside the service" in body and "Select a status" in body
    assert not Action.objects.exists()


def test_registers_of_another_assessment_are_404(staff_client, staff_user, records, spr2012, home):
    other = make_assessment(user=staff_user, force=home, edition=spr2012, period="2026/27")
    departure, action = records["departure"], records["action"]

    assert staff_client.get(reverse("assessments:departure-edit", args=[other.pk, departure.pk])).status_code == 404
    assert staff_client.get(reverse("assessments:action-edit", args=[other.pk, action.pk])).status_code == 404
