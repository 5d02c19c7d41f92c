"""Reports of published assessments whose snapshots were stored in an older schema: rendered from the
stored payload through the upgrade steps, with the stored hash, and the stored payload left as it is."""

from __future__ import annotations

from assessments.models import Snapshot
from reports import services
from reports.context import national_inputs, national_prepare
from tests.reports.support import page_texts
from tests.snapshot_support import store_snapshot, stored_payload

FROZEN_NARRATIVE = "Stored in schema 1, when a snapshot named people by their usernames."


def _stored_in_schema_1(assessment) -> tuple[dict, Snapshot]:
    payload = stored_payload(1)
    payload["assessment"]["id"] = assessment.pk
    payload["responses"][0]["narrative"] = FROZEN_NARRATIVE
    return payload, store_snapshot(assessment, payload)


def test_the_accountability_report_of_a_schema_1_snapshot_renders_from_it(reports_root, published, staff_user):
    payload, stored = _stored_in_schema_1(published)

    job, _created = services.report_request(user=staff_user, kind="accountability", assessment=published)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()

    texts = page_texts(job)
    text = " ".join(" ".join(texts).split())
    assert job.status == "done" and job.pages == len(texts)
    assert FROZEN_NARRATIVE in text  # the stored payload, not the live rows
    assert "Regional firearms cover is shared" in text and "Run a tabletop exercise with the LRF." in text
    assert "How was the mutual aid test scored?" in text and "Against the national mobilisation standard." in text
    assert "Signed off by pcc-home" in text  # people as schema 1 named them
    assert stored.sha256 in text.replace(" ", "")  # the stored hash, not one of the upgraded payload
    again = Snapshot.objects.get(pk=stored.pk)
    assert (again.payload, again.sha256) == (payload, stored.sha256)  # never rewritten


def test_the_national_overview_reads_a_schema_1_snapshot(published, spr2012):
    _payload, stored = _stored_in_schema_1(published)

    prepared = national_prepare(national_inputs(edition=spr2012, period="2025/26", region=None))

    forces = [force for region in prepared.context["regions"] for force in region["forces"]]
    home = next(force for force in forces if force["name"] == "West Midlands Police")
    assert home["published"]["sha256"] == stored.sha256
    assert sum(home["counts"]) == 38
    assert home["live_departures"] == 1
