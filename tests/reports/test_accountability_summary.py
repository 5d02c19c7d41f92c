"""The accountability report reads as accountability: an executive summary straight after the cover
(what is not assured and why, overdue actions by name, live departures, open challenges, change since
last year), requirement text quoted with its stem, a hash only for files, and DRAFT on every page of
an unpublished report and in its file name."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import Assessment, Response
from reports import services
from reports.models import ReportJob
from tests.reports.support import page_texts, stranded_headings
from threats.models import JudgementLevel


def _render(user, assessment) -> ReportJob:
    job, _created = services.report_request(user=user, kind="accountability", assessment=assessment)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    return job


def _words(text: str) -> str:
    return " ".join(text.split())


def _judge(assessment: Assessment, ref: str, code: str) -> None:
    level = JudgementLevel.objects.get(edition_id=assessment.edition_id, code=code)
    Response.objects.filter(assessment=assessment, requirement__ref=ref).update(judgement=level)


@pytest.fixture
def second_ref(spr2012):
    # rich_assessment puts its departure, its action and its one "partially assured" on the second
    # requirement of the edition.
    return spr2012.requirements.order_by("position").values_list("ref", flat=True)[1]


@pytest.fixture
def last_year_and_this(make_rich, second_ref, staff_user, chief_user, pcc_user):
    """2024/25 published with the second requirement partially assured; 2025/26 published with it not
    assured (its action, due 30 June 2025, still open)."""
    from tests.workflow_support import advance

    make_rich("published", period="2024/25")
    current = make_rich("submitted")
    _judge(current, second_ref, "not_assured")
    challenge = current.challenges.get()
    from assessments import workflow

    workflow.challenge_close(user=pcc_user, challenge=challenge, note="Answered.")
    return advance(Assessment.objects.get(pk=current.pk), "published", staff=staff_user, chief=chief_user, pcc=pcc_user)


def test_the_page_after_the_cover_is_the_executive_summary(reports_root, last_year_and_this, second_ref, staff_user):
    job = _render(staff_user, last_year_and_this)

    texts = page_texts(job)
    summary = _words(texts[1])
    assert "Executive summary" in summary
    assert "37 assured, 1 not assured." in summary
    # What is not assured, and why: the requirement's ref and the gap its action records.
    not_assured = summary.split("What is not assured, and why", 1)[1].split("Actions overdue", 1)[0]
    assert second_ref in not_assured and "Not assured" in not_assured
    assert "No tested plan for a second concurrent incident." in not_assured
    # The overdue action by name, with its owner, due date and how late it is.
    overdue = summary.split("Actions overdue on", 1)[1].split("Live departures", 1)[0]
    assert "Run a tabletop exercise with the LRF." in overdue
    assert "Head of Operations" in overdue and "30 June 2025" in overdue
    assert re.search(r"\d+ days", overdue)
    assert "Regional firearms cover" not in summary  # the departure's circumstances stay in the detail
    assert "Response times of up to 40 minutes at night." in summary  # its residual risk is summarised
    # Change since last year: the second requirement went from partially assured to not assured.
    change = summary.split("Change since 2024/25", 1)[1]
    assert "1 worse" in change and second_ref in change
    assert "DRAFT" not in " ".join(texts)  # published: no watermark anywhere
    assert stranded_headings(job) == []
    # The heat map says how each cell's requirements were judged, not only the lowest judgement.
    heat_map = _words(next(text for text in texts if "Judgements and heat map" in text and "Threat" in text))
    assert re.search(r"1 not assured · \d+ assured", heat_map)
    # The record of the workflow names each step in words, not by its code or state name.
    record = _words(" ".join(texts[-3:]))
    assert "Signed off by the PCC" in record and "Published to HMICFRS" in record
    assert "sign off (" not in record.lower() and "Sign_off" not in record


def test_requirement_text_is_quoted_with_its_stem_and_links_carry_no_hash(reports_root, published, staff_user):
    job = _render(staff_user, published)

    text = _words(" ".join(page_texts(job)))
    # 3.1(a) completes the sentence "… must satisfy themselves that they:"; the quote gives it.
    quote = text.split("3.1(a): Assured", 1)[1].split("Narrative", 1)[0]
    assert "… Together, police and crime commissioners and chief constables must satisfy themselves that they:" in quote
    assert "they: understand their respective roles in preparing for and tackling shared threats" in quote
    assert "not a file" not in text
    # The one file among the evidence has its hash; the link has none (the snapshot's is on the last page).
    assert len(re.findall(r"(?<!Snapshot )SHA-256:", text)) == 1


def test_an_unpublished_report_says_draft_on_every_page_and_in_its_file_name(
    reports_root, make_rich, staff_user, staff_client
):
    submitted = make_rich("submitted")
    job = _render(staff_user, submitted)

    texts = page_texts(job)
    assert len(texts) > 3
    for number, text in enumerate(texts, start=1):
        assert "DRAFT — not published" in text, f"page {number} has no DRAFT mark"
    summary = _words(texts[1])
    # The challenge is still open: the summary says so.
    assert "Challenges open now" in summary and "How was the mutual aid test scored?" in summary

    response = staff_client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200
    assert "DRAFT-not-published" in response["Content-Disposition"]


def test_a_published_report_file_name_does_not_say_draft(reports_root, published, staff_user, staff_client):
    job = _render(staff_user, published)

    response = staff_client.get(reverse("reports:download", args=[job.pk]))

    assert response.status_code == 200
    assert "DRAFT" not in response["Content-Disposition"]
    assert "spr-accountability-west-midlands-2025-26-r1.pdf" in response["Content-Disposition"]


def test_every_word_stays_inside_the_page_margins(reports_root, draft, staff_user, spr2012):
    """The actions table (and the summary's) fit the page: poppler's word boxes all end inside A4
    less the 16 mm side margins, even with long owners, gaps and unbroken words."""
    import datetime as dt
    import subprocess

    from assessments import services as assessment_services
    from tests.reports.support import job_path

    ref = spr2012.requirements.order_by("position").values_list("ref", flat=True)[2]
    assessment_services.action_save(
        user=staff_user,
        assessment=draft,
        requirement=ref,
        gap="No documented arrangement for mobilising mutual aid across the region " * 3,
        description="Agree-a-regional-mobilisation-protocol-with-all-neighbouring-forces-and-the-ROCU " * 2,
        owner="Assistant Chief Constable (Operations and Contingency Planning), Regional Lead",
        due_date=dt.date(2025, 1, 31),
    )
    job = _render(staff_user, draft)

    out = subprocess.run(
        ["pdftotext", "-bbox", str(job_path(job)), "-"], capture_output=True, check=True, text=True
    ).stdout
    page_width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    right_edge = page_width - 16 / 25.4 * 72 + 1  # points, with a point's tolerance
    overflowing = [
        (word, float(x_max))
        for x_max, word in re.findall(
            r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out
        )
        if float(x_max) > right_edge and "DRAFT" not in word and word not in ("—", "not", "published")
    ]
    assert overflowing == []


def test_the_running_header_keeps_the_longest_force_name_and_the_draft_flag_on_one_line(
    reports_root, draft, staff_user, forces
):
    """The page's margin boxes have fixed widths (static/css/pdf.css): the longest force name in England
    and Wales and the draft flag still sit on the header's one line, inside the top margin."""
    import subprocess

    from tests.reports.support import job_path

    long_name = "Hampshire and Isle of Wight Constabulary"
    type(draft.force).objects.filter(pk=draft.force_id).update(name=long_name)
    job = _render(staff_user, draft)

    out = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-bbox", str(job_path(job)), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', out)
    top_margin = 22 / 25.4 * 72  # points
    header = [(float(x), float(y), word) for x, y, word in words if float(y) < top_margin]
    assert " ".join(word for _x, _y, word in sorted(header)) == (
        f"{long_name} DRAFT — not published OFFICIAL-SENSITIVE"
    )
    assert len({round(y) for _x, y, _word in header}) == 1  # one line, nothing wrapped
