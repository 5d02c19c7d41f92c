"""Reports name people as "Name, job title", as they were when the assessment was published."""

from __future__ import annotations

from people.services import person_name_set
from reports import services
from tests.reports.support import page_texts


def test_the_pdf_names_the_signatory_by_name_and_job_title_as_at_publication(
    reports_root, make_rich, staff_user, chief_user, pcc_user
):
    person_name_set(pcc_user, name="Margaret Ellis", job_title="Police and Crime Commissioner")
    person_name_set(chief_user, name="Daniel Okafor", job_title="Chief Constable")
    published = make_rich("published")
    # Renamed after publication: the published report keeps the name of the day.
    person_name_set(pcc_user, name="Someone Else", job_title="Deputy")

    job, _created = services.report_request(user=staff_user, kind="accountability", assessment=published)
    assert services.report_render(job_id=job.pk, worker="test") in ("done", "finished")
    job.refresh_from_db()
    text = " ".join(" ".join(page_texts(job)).split())

    assert "Signed off by Margaret Ellis, Police and Crime Commissioner" in text
    assert "Daniel Okafor, Chief Constable" in text
    assert "Someone Else" not in text
    assert "pcc-home" not in text
