"""Rendering in this process (the worker tests prove the same through a real worker): content, the
frozen snapshot, injection, accessibility, the national overview, idempotency and failures."""

from __future__ import annotations

import hashlib
import http.server
import re
import threading

import pytest
from django.utils import timezone

from assessments.models import Assessment, Response
from reports import services
from reports.models import JobStatus, ReportJob
from reports.tasks import render_report
from tests.reports.support import job_path, narrative_for, page_texts, pdf_reader, stranded_headings


def _request_and_render(user, **kwargs) -> ReportJob:
    job, _created = services.report_request(user=user, **kwargs)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    return job


def test_accountability_report_shows_every_requirement_and_counts_its_pages(reports_root, published, staff_user):
    job = _request_and_render(staff_user, kind="accountability", assessment=published)

    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1
    texts = page_texts(job)
    text = " ".join(" ".join(texts).split())  # words, whatever the line breaks
    assert "West Midlands Police" in text
    for response in Response.objects.filter(assessment=published).select_related("requirement"):
        assert response.requirement.ref in text
        assert narrative_for(response.requirement.ref) in text
    assert job.pages == len(texts)
    assert f"Page 1 of {job.pages}" in texts[0]
    assert f"Page {job.pages} of {job.pages}" in texts[-1]
    assert published.snapshot.sha256 in text
    assert "OFFICIAL-SENSITIVE" in texts[3]  # running header on inner pages
    assert "The chief constable’s response" in text and "assurance statement" in text
    assert "How was the mutual aid test scored?" in text  # challenge and reply
    assert "Against the national mobilisation standard." in text
    assert "Regional firearms cover is shared" in text  # departure
    assert "Run a tabletop exercise with the LRF." in text  # action
    evidence_file = published.responses.order_by("requirement__position").first().evidence.get(kind="file")
    assert evidence_file.sha256 in text.replace(" ", "")
    data = job_path(job).read_bytes()
    assert job.sha256 == hashlib.sha256(data).hexdigest() and job.size == len(data)


def test_the_same_request_returns_the_built_job_without_rendering_again(reports_root, published, staff_user, pcc_user):
    job = _request_and_render(staff_user, kind="accountability", assessment=published)

    again, created = services.report_request(user=pcc_user, kind="accountability", assessment=published)

    assert not created and again.pk == job.pk
    again.refresh_from_db()
    assert again.attempts == 1 and again.status == JobStatus.DONE


def test_a_built_job_whose_file_is_gone_is_built_again(reports_root, published, staff_user):
    job = _request_and_render(staff_user, kind="accountability", assessment=published)
    job_path(job).unlink()

    again, created = services.report_request(user=staff_user, kind="accountability", assessment=published)

    assert created and again.pk != job.pk


def test_published_report_comes_from_the_frozen_snapshot(reports_root, published, staff_user):
    first = _request_and_render(staff_user, kind="accountability", assessment=published)
    # Something changes the live rows behind the services' back: the report must not move.
    Response.objects.filter(assessment=published).update(narrative="Tampered after publication")

    again, created = services.report_request(user=staff_user, kind="accountability", assessment=published)
    assert not created and again.pk == first.pk
    second = ReportJob.objects.create(
        kind="accountability", assessment=published, requested_by=staff_user, input_hash=first.input_hash
    )
    services.report_render(job_id=second.pk, worker="test")
    second.refresh_from_db()

    assert second.input_hash == first.input_hash
    assert page_texts(second) == page_texts(first)
    assert "Tampered" not in "".join(page_texts(second))
    assert second.sha256 == first.sha256  # same content, same bytes (the PDF /ID derives from it)


def test_draft_report_follows_the_live_content(reports_root, draft, staff_user):
    first = _request_and_render(staff_user, kind="accountability", assessment=draft)
    response = draft.responses.order_by("requirement__position").first()
    Response.objects.filter(pk=response.pk).update(narrative="A newer narrative")

    second, created = services.report_request(user=staff_user, kind="accountability", assessment=draft)

    assert created and second.input_hash != first.input_hash
    services.report_render(job_id=second.pk, worker="test")
    second.refresh_from_db()
    assert "A newer narrative" in " ".join(page_texts(second))
    assert "not published" in " ".join(page_texts(second))


class _Canary(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        _Canary.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def canary_server():
    _Canary.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], _Canary.hits
    server.shutdown()
    server.server_close()


def test_user_text_cannot_make_weasyprint_fetch_or_embed_anything(
    reports_root, make_rich, staff_user, canary_server, tmp_path
):
    port, hits = canary_server
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-7f3a9c-SECRET")
    payloads = [
        '<img src="file:///etc/passwd">',
        f'<link rel="attachment" href="file://{canary}">',
        f"<style>@import url(http://127.0.0.1:{port}/import.css);</style>",
        f'<p style="background: url(http://127.0.0.1:{port}/bg.png)">x</p>',
        f"url(http://127.0.0.1:{port}/plain.css)",
        f'<object data="http://127.0.0.1:{port}/object"></object><svg><image href="http://127.0.0.1:{port}/svg"/></svg>',
    ]
    from capabilities.models import Requirement

    refs = list(Requirement.objects.filter(edition__code="spr-2012").order_by("position").values_list("ref", flat=True))
    assessment = make_rich("draft", narratives=dict(zip(refs, payloads, strict=False)))

    job = _request_and_render(staff_user, kind="accountability", assessment=assessment)

    assert job.status == JobStatus.DONE
    assert hits == []
    raw = job_path(job).read_bytes()
    assert b"CANARY-7f3a9c-SECRET" not in raw and b"root:x:0:0" not in raw
    reader = pdf_reader(job)
    text = " ".join(page_texts(job))
    assert "CANARY-7f3a9c-SECRET" not in text and "root:x:0:0" not in text
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    assert not reader.attachments
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    flat = re.sub(r"\s+", "", text)
    for payload in payloads:
        assert re.sub(r"\s+", "", payload) in flat  # shown as literal text


def test_the_pdf_is_tagged_titled_in_british_english_and_has_an_outline(reports_root, published, staff_user):
    job = _request_and_render(staff_user, kind="accountability", assessment=published)

    reader = pdf_reader(job)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "PCC accountability report: West Midlands Police, 2025/26"

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    outline = list(titles(reader.outline))
    assert "West Midlands Police" in outline
    for heading in (
        "Executive summary",
        "Contents",
        "Judgements and heat map",
        "Requirements",
        "The chief constable’s response",
        "Record of this report",
    ):
        assert heading in outline
    assert any(title.startswith("3.1(a)") for title in outline)


def test_national_overview_compares_published_forces_by_region(reports_root, published, inspector_user):
    job = _request_and_render(inspector_user, kind="national", edition=published.edition, period="2025/26")

    assert job.status == JobStatus.DONE
    texts = page_texts(job)
    text = "\n".join(texts)
    assert "West Midlands" in text and "Kent Police" in text and "East Midlands" in text
    assert f"Page {job.pages} of {job.pages}" in texts[-1]
    assert job.pages == len(texts)
    # It leads with the national picture, straight after the cover.
    picture = " ".join(texts[1].split())
    assert "The national picture" in picture
    assert "1 of 46 forces published an assessment for 2025/26" in picture
    assert "1 partially assured" in picture and "1 assured" in picture
    # Forces that have not published are one compact list, not a row (or a page) each.
    lead = " ".join(" ".join(texts[1:3]).split())
    assert "45 forces have not published for 2025/26" in lead
    assert "Kent Police" in lead
    assert "Not published" not in text and "No published assessment for" not in text
    # No page per region: the regions with a published force or capacity have a section, the rest none.
    assert job.pages <= 4
    assert stranded_headings(job) == []


def test_national_overview_counts_departures_overdue_actions_and_capacity(reports_root, published, inspector_user):
    import datetime as dt

    from capabilities.models import CapacityCapability
    from capacity.models import CapacityCommitment

    psu = CapacityCapability.objects.create(
        code="psu", name="Police support units", unit="police support units", national_planning_assumption=297
    )
    CapacityCommitment.objects.create(
        force=published.force,
        capability=psu,
        period="2025/26",
        committed=12,
        available=10,
        notice_period_hours=8,
        as_of=dt.date(2025, 4, 1),
    )
    job = _request_and_render(
        inspector_user, kind="national", edition=published.edition, period="2025/26", region=published.force.region
    )

    text = " ".join(page_texts(job))
    assert "Police support units" in text and "297" in text
    assert re.search(r"West Midlands Police.*?1\s+1", text, re.S)  # one live departure, one overdue action
    assert "Kent Police" not in text  # only the chosen region


def test_national_overview_input_hash_changes_when_a_force_publishes(published, inspector_user, make_rich):
    first, _ = services.report_request(
        user=inspector_user, kind="national", edition=published.edition, period="2025/26"
    )
    Response.objects.filter(assessment=published).update(narrative="live edit")  # not published: no change
    same, created = services.report_request(
        user=inspector_user, kind="national", edition=published.edition, period="2025/26"
    )
    assert not created and same.pk == first.pk


def test_render_is_idempotent_for_finished_and_busy_jobs(reports_root, published, staff_user):
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=timezone.now(), attempts=1)

    assert services.report_render(job_id=job.pk, worker="other") == "busy"
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
    assert services.report_render(job_id=job.pk, worker="other") == "finished"
    assert services.report_render(job_id=999_999, worker="other") == "missing"
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_an_attempt_overtaken_by_the_sweeper_does_not_record_its_result(
    reports_root, published, staff_user, monkeypatch
):
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)
    real_prepare = services.report_prepare

    def prepare_then_lose_the_job(j):
        ReportJob.objects.filter(pk=j.pk).update(status=JobStatus.QUEUED)  # what the sweeper does
        return real_prepare(j)

    monkeypatch.setattr(services, "report_prepare", prepare_then_lose_the_job)

    assert services.report_render(job_id=job.pk, worker="slow") == "superseded"
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and not job.file_path
    assert not reports_root.exists() or not list(reports_root.iterdir())


def test_an_unexpected_error_marks_the_job_failed_in_words(reports_root, published, staff_user, monkeypatch):
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(services, "render_pdf", broken)
    render_report.apply(args=(job.pk,))

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "unexpected error (ValueError)" in job.error and str(job.pk) in job.error
    assert job.attempts == 1


def test_a_write_error_is_transient_and_leaves_no_partial_file(reports_root, published, staff_user, tmp_path):
    reports_root.parent.mkdir(parents=True, exist_ok=True)
    reports_root.write_text("a file where the folder should be")
    job, _ = services.report_request(user=staff_user, kind="accountability", assessment=published)

    with pytest.raises(services.TransientError):
        services.report_render(job_id=job.pk, worker="test")

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and not job.file_path  # the task requeues it and retries
    services.report_requeue(job_id=job.pk)
    assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED


def test_request_takes_a_fixed_number_of_queries_for_a_published_assessment(
    published, staff_user, django_assert_max_num_queries
):
    services.report_request(user=staff_user, kind="accountability", assessment=published)
    with django_assert_max_num_queries(12):
        services.report_request(user=staff_user, kind="accountability", assessment=published)


def test_preparing_an_accountability_report_takes_a_fixed_number_of_queries(published, django_assert_max_num_queries):
    from django.db import connection

    from reports.context import accountability_prepare

    accountability_prepare(published)
    # PostgreSQL takes the audit chain's advisory lock for the checkpoint in one more statement.
    with django_assert_max_num_queries(19 + (connection.vendor == "postgresql")):
        accountability_prepare(Assessment.objects.select_related("snapshot").get(pk=published.pk))


def test_the_pdf_streams_are_deflated_at_zlib_default_level(reports_root, published, staff_user):
    """pydyf would deflate them at level 9, a sixth of the time to write a report (core.pdf.DEFLATE_LEVEL);
    whatever the level, each stream still inflates to what WeasyPrint drew."""
    import zlib

    from core.pdf import DEFLATE_LEVEL

    job = _request_and_render(staff_user, kind="accountability", assessment=published)

    stream = pdf_reader(job).pages[1]["/Contents"].get_object()
    drawn = stream.get_data()
    assert b"BT" in drawn  # text is drawn on the page
    assert stream["/Filter"] == "/FlateDecode"
    assert stream._data == zlib.compress(drawn, DEFLATE_LEVEL) != zlib.compress(drawn, 9)


def test_sweeper_redispatches_stranded_jobs_and_gives_up_after_max_attempts(published, staff_user, monkeypatch):
    import datetime as dt

    sent = []
    monkeypatch.setattr(services, "report_dispatch", lambda *, job_id: sent.append(job_id) or True)
    now = timezone.now()
    old = now - dt.timedelta(hours=1)

    def job(**fields):
        row = ReportJob.objects.create(
            kind="accountability", assessment=published, requested_by=staff_user, input_hash="0" * 64
        )
        ReportJob.objects.filter(pk=row.pk).update(**fields)
        return row.pk

    fresh_queued = job(created_at=now)
    never_dispatched = job(created_at=old)
    lost_message = job(created_at=old, dispatched_at=old)
    dispatched_recently = job(created_at=old, dispatched_at=now)
    killed = job(status=JobStatus.RUNNING, started_at=old, attempts=1)
    busy = job(status=JobStatus.RUNNING, started_at=now, attempts=1)
    hopeless = job(status=JobStatus.RUNNING, started_at=old, attempts=services.MAX_ATTEMPTS)

    counts = services.report_sweep()

    assert sorted(sent) == sorted([never_dispatched, lost_message, killed])
    assert counts == {"dispatched": 3, "requeued": 1, "failed": 1, "undispatched": 0}
    assert ReportJob.objects.get(pk=killed).status == JobStatus.QUEUED
    assert ReportJob.objects.get(pk=busy).status == JobStatus.RUNNING
    failed = ReportJob.objects.get(pk=hopeless)
    assert failed.status == JobStatus.FAILED and "after 3 attempts" in failed.error
    assert fresh_queued not in sent and dispatched_recently not in sent


def test_sweeper_stops_at_the_first_refused_dispatch(published, staff_user, monkeypatch):
    import datetime as dt

    sent = []
    monkeypatch.setattr(services, "report_dispatch", lambda *, job_id: sent.append(job_id) and False)
    old = timezone.now() - dt.timedelta(hours=1)
    for _ in range(3):
        row = ReportJob.objects.create(
            kind="accountability", assessment=published, requested_by=staff_user, input_hash="0" * 64
        )
        ReportJob.objects.filter(pk=row.pk).update(created_at=old)

    assert services.report_sweep()["undispatched"] == 1 and len(sent) == 1


def test_national_overview_with_nothing_published_is_short_and_has_no_empty_tables(
    reports_root, spr2012, forces, inspector_user
):
    job = _request_and_render(inspector_user, kind="national", edition=spr2012, period="2025/26")

    texts = page_texts(job)
    text = " ".join(" ".join(texts).split())
    assert "No force has published an assessment for 2025/26 yet" in text
    assert "46 forces have not published for 2025/26" in text and "Kent Police" in text
    assert "Summary by region" not in text  # a table of noughts says nothing
    assert "Lowest judgement by threat and area" not in text  # no region grids without a force in them
    assert "Not published" not in text
    assert job.pages <= 3
