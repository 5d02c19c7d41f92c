"""Publishing anchors the audit chain's head outside the database, and each published accountability
report prints the checkpoint taken when it was built (issue 13)."""

from __future__ import annotations

from core.audit import audit_verify
from core.checkpoints import latest_checkpoint
from core.models import AuditEntry
from reports import services
from tests.reports.support import page_texts
from tests.workflow_support import advance


def test_publishing_writes_a_checkpoint_once_committed(
    make_rich, staff_user, chief_user, pcc_user, django_capture_on_commit_callbacks
):
    signed_off = make_rich("signed_off")
    assert latest_checkpoint() is None

    with django_capture_on_commit_callbacks(execute=True):
        advance(signed_off, "published", staff=staff_user, chief=chief_user, pcc=pcc_user)

    checkpoint = latest_checkpoint()
    assert checkpoint.count == AuditEntry.objects.count()
    assert checkpoint.head_hash == AuditEntry.objects.order_by("id").last().hash
    assert audit_verify().checkpoints == 1


def test_the_published_report_prints_the_checkpoint(reports_root, published, staff_user):
    job, _created = services.report_request(user=staff_user, kind="accountability", assessment=published)
    services.report_render(job_id=job.pk, worker="test")
    job.refresh_from_db()

    checkpoint = latest_checkpoint()
    text = " ".join(" ".join(page_texts(job)).split())
    assert "Audit trail checkpoint" in text
    assert f"{checkpoint.count} entries, head {checkpoint.short_hash}" in text


def test_a_draft_report_prints_no_checkpoint(reports_root, make_rich, staff_user):
    draft = make_rich("draft", period="2026/27")
    job, _created = services.report_request(user=staff_user, kind="accountability", assessment=draft)
    services.report_render(job_id=job.pk, worker="test")
    job.refresh_from_db()

    assert "Audit trail checkpoint" not in " ".join(page_texts(job))
