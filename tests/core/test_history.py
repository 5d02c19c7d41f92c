"""core.history.HistoricalRecords records many-to-many links exactly as simple-history does."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from simple_history.models import HistoricalRecords as UpstreamHistoricalRecords

from assessments import services
from assessments.models import Response
from assessments.records import ResponseAnswer
from tests.factories import make_assessment, make_link_evidence


@pytest.fixture
def response_with_links(staff_user, forces, spr2012):
    assessment = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012)
    items = [make_link_evidence(user=staff_user, force=forces["west-midlands"], title=f"Plan {n}") for n in range(3)]
    response = assessment.responses.order_by("id").first()
    return services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(evidence_ids=[item.id for item in items]),
    )


def _links(record) -> list[tuple]:
    rows = record.evidence.model.objects.filter(history=record).order_by("evidence_id")
    return [(row.id, row.response_id, row.evidence_id) for row in rows]


def test_m2m_links_are_recorded_as_upstream_records_them(response_with_links):
    recorded = Response.history.filter(id=response_with_links.pk).latest("history_id")
    through = Response.evidence.through.objects.filter(response=response_with_links).order_by("evidence_id")
    expected = [(row.id, row.response_id, row.evidence_id) for row in through]
    assert len(expected) == 3
    assert _links(recorded) == expected

    # Upstream's own method, on the same record, writes the same rows.
    field = Response._meta.get_field("evidence")
    m2m_history_model = recorded.evidence.model
    m2m_history_model.objects.filter(history=recorded).delete()
    upstream = SimpleNamespace(m2m_models={field: m2m_history_model})
    UpstreamHistoricalRecords.create_historical_record_m2ms(upstream, recorded, response_with_links)
    assert _links(recorded) == expected
