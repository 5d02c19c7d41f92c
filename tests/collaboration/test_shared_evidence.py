"""Evidence shared with an agreement's parties (or named forces): partners read, download and cite
it, never change it; the owner withdraws sharing and the links made meanwhile stay, marked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import services, sharing
from assessments.models import Evidence
from assessments.records import ResponseAnswer
from core.models import AuditEntry
from tests.collaboration.conftest import client_for
from tests.factories import make_assessment, make_file_evidence, make_link_evidence

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_item(forces, ersou, kent_staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = make_file_evidence(user=kent_staff, force=forces["kent"], title="ERSOU tasking report")
    return sharing.evidence_share(user=kent_staff, evidence=item, agreement=ersou)


@pytest.fixture
def essex_response(forces, spr2012, essex_staff):
    assessment = make_assessment(user=essex_staff, force=forces["essex"], edition=spr2012)
    return assessment.responses.select_related("requirement", "assessment").get(requirement__ref="4.1(c)")


def _cite(user, response, ids):
    return services.response_update(
        user=user,
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(evidence_ids=ids),
    )


def test_sharing_under_an_agreement_shares_with_every_party(shared_item, ersou):
    assert shared_item.agreement == ersou
    assert list(shared_item.shared_with.values_list("code", flat=True)) == ["essex"]
    change = AuditEntry.objects.filter(
        kind=AuditEntry.Kind.RECORD, model="assessments.evidence", action=AuditEntry.Action.CHANGED
    ).last()
    assert change is not None and change.object_id == str(shared_item.pk)
    assert change.changes["agreement_id"] == [None, ersou.pk]
    assert change.changes["shared_with"] == [[], [shared_item.shared_with.get().pk]]


def test_a_partner_reads_downloads_and_cites_but_never_changes(shared_item, essex_staff, essex_response):
    essex = client_for(essex_staff)
    page = essex.get(reverse("assessments:evidence-detail", args=[shared_item.pk])).content.decode()
    assert "Shared with your force by Kent Police" in page
    assert essex.get(reverse("assessments:evidence-download", args=[shared_item.pk])).status_code == 200
    assert essex.get(reverse("api-evidence-download", args=[shared_item.pk])).status_code == 200
    listed = essex.get(reverse("api-evidence-list")).json()["results"]
    assert [(row["title"], row["force"], row["shared_with"]) for row in listed] == [
        ("ERSOU tasking report", "kent", ["essex"])
    ]
    # Cited in Essex's own response, through the page as a user would.
    form = essex.get(reverse("assessments:response", args=[essex_response.assessment_id, "4.1(c)"]))
    assert "Shared by Kent Police" in form.content.decode()
    saved = essex.post(
        reverse("assessments:response", args=[essex_response.assessment_id, "4.1(c)"]),
        {
            "version": "1",
            "judgement": "assured",
            "narrative": "ERSOU delivers it",
            "evidence": [str(shared_item.pk)],
            "action": "draft",
        },
    )
    assert saved.status_code == 302
    assert list(essex_response.evidence.values_list("id", flat=True)) == [shared_item.pk]
    # Each force's library counts only its own responses citing the item.
    cell = 'govuk-table__cell--numeric">{}</td>'
    assert cell.format(1) in essex.get(reverse("assessments:evidence-list")).content.decode()
    kent = client_for(shared_item.created_by).get(reverse("assessments:evidence-list")).content.decode()
    assert cell.format(0) in kent and cell.format(1) not in kent
    # Every write is refused.
    assert (
        essex.patch(
            reverse("api-evidence-detail", args=[shared_item.pk]),
            {"title": "Mine now"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert essex.get(reverse("assessments:evidence-share", args=[shared_item.pk])).status_code == 403
    assert essex.post(reverse("assessments:evidence-unshare", args=[shared_item.pk])).status_code == 403
    assert essex.delete(reverse("api-evidence-detail", args=[shared_item.pk])).status_code == 405
    with pytest.raises(PermissionDenied):
        services.evidence_update(user=essex_staff, evidence=shared_item, title="Mine now")
    with pytest.raises(PermissionDenied):
        sharing.evidence_unshare(user=essex_staff, evidence=shared_item)
    shared_item.refresh_from_db()
    assert shared_item.title == "ERSOU tasking report"


def test_the_agreement_page_lists_its_documents(shared_item, ersou, essex_staff):
    page = client_for(essex_staff).get(reverse("collaboration:agreement-detail", args=[ersou.pk])).content.decode()
    assert "ERSOU tasking report" in page and "(from Kent Police)" in page


def test_a_force_outside_the_agreement_gets_404(shared_item, wm_staff):
    client = client_for(wm_staff)
    for name in ("assessments:evidence-detail", "assessments:evidence-download", "api-evidence-detail"):
        assert client.get(reverse(name, args=[shared_item.pk])).status_code == 404, name
    assert client.get(reverse("api-evidence-list")).json()["count"] == 0


def test_unshared_evidence_cannot_be_cited_by_another_force(forces, kent_staff, essex_staff, essex_response):
    item = make_link_evidence(user=kent_staff, force=forces["kent"])
    with pytest.raises(ValidationError):
        _cite(essex_staff, essex_response, [item.id])


def test_withdrawing_sharing_keeps_the_links_made_and_marks_them(shared_item, kent_staff, essex_staff, essex_response):
    cited = _cite(essex_staff, essex_response, [shared_item.id])
    kent = client_for(kent_staff)
    assert kent.post(reverse("assessments:evidence-unshare", args=[shared_item.pk])).status_code == 302
    shared_item.refresh_from_db()
    assert shared_item.agreement is None and not shared_item.shared_with.exists()
    essex = client_for(essex_staff)
    assert essex.get(reverse("assessments:evidence-detail", args=[shared_item.pk])).status_code == 404
    page = essex.get(reverse("assessments:response", args=[essex_response.assessment_id, "4.1(c)"])).content.decode()
    assert "No longer shared" in page
    # The link survives a later save of the response that keeps it...
    again = _cite(essex_staff, cited, [shared_item.id])
    assert list(again.evidence.values_list("id", flat=True)) == [shared_item.pk]
    # ...but once dropped it cannot be added back.
    dropped = _cite(essex_staff, again, [])
    with pytest.raises(ValidationError):
        _cite(essex_staff, dropped, [shared_item.id])


def test_the_owner_shares_from_the_page_with_named_forces(forces, kent_staff, wm_staff, settings, tmp_path):
    item = make_link_evidence(user=kent_staff, force=forces["kent"])
    kent = client_for(kent_staff)
    empty = kent.post(reverse("assessments:evidence-share", args=[item.pk]), {})
    assert empty.status_code == 400
    assert "Select an agreement or at least one force" in empty.content.decode()
    assert not item.shared_with.exists()
    answer = kent.post(
        reverse("assessments:evidence-share", args=[item.pk]), {"forces": [str(forces["west-midlands"].pk)]}
    )
    assert answer.status_code == 302
    assert client_for(wm_staff).get(reverse("assessments:evidence-detail", args=[item.pk])).status_code == 200


def test_api_shares_on_create_and_withdraws_by_patch(forces, ersou, kent_staff, essex_staff):
    kent = client_for(kent_staff)
    created = kent.post(
        reverse("api-evidence-list"),
        {
            "kind": "link",
            "title": "ERSOU annual report",
            "owner": "Head of ERSOU",
            "evidence_date": "2025-04-01",
            "url": "https://intranet.example.police.uk/ersou",
            "agreement": ersou.pk,
            "shared_with": ["norfolk"],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["agreement"] == ersou.pk
    assert sorted(data["shared_with"]) == ["essex", "norfolk"]
    assert client_for(essex_staff).get(reverse("api-evidence-detail", args=[data["id"]])).status_code == 200
    withdrawn = kent.patch(
        reverse("api-evidence-detail", args=[data["id"]]),
        {"shared_with": [], "agreement": None},
        content_type="application/json",
    )
    assert withdrawn.status_code == 200
    assert withdrawn.json()["shared_with"] == [] and withdrawn.json()["agreement"] is None
    assert client_for(essex_staff).get(reverse("api-evidence-detail", args=[data["id"]])).status_code == 404


def test_api_refuses_an_agreement_the_force_is_not_party_to(forces, ersou, wm_staff):
    answer = client_for(wm_staff).post(
        reverse("api-evidence-list"),
        {
            "kind": "reference",
            "title": "x",
            "owner": "y",
            "evidence_date": "2025-04-01",
            "reference": "REF-1",
            "agreement": ersou.pk,
        },
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert "agreement" in answer.json()
    assert not Evidence.objects.filter(title="x").exists()
    unknown = client_for(wm_staff).post(
        reverse("api-evidence-list"),
        {
            "kind": "reference",
            "title": "x",
            "owner": "y",
            "evidence_date": "2025-04-01",
            "reference": "R",
            "agreement": 99999,
        },
        content_type="application/json",
    )
    assert unknown.json() == answer.json()


def test_evidence_lists_keep_a_constant_query_count(
    forces, ersou, kent_staff, essex_staff, django_assert_max_num_queries
):
    for n in range(8):
        item = make_link_evidence(user=kent_staff, force=forces["kent"], title=f"Item {n}")
        sharing.evidence_share(user=kent_staff, evidence=item, agreement=ersou)
    essex = client_for(essex_staff)
    with django_assert_max_num_queries(14):
        assert essex.get(reverse("api-evidence-list")).json()["count"] == 8
    with django_assert_max_num_queries(14):
        assert essex.get(reverse("assessments:evidence-list")).status_code == 200


def test_visible_and_owned_differ_for_a_shared_item(shared_item, essex_staff, kent_staff, wm_staff):
    assert Evidence.objects.visible_to(essex_staff).filter(pk=shared_item.pk).exists()
    assert not Evidence.objects.owned_by(essex_staff).filter(pk=shared_item.pk).exists()
    assert Evidence.objects.owned_by(kent_staff).filter(pk=shared_item.pk).exists()
    assert not Evidence.objects.visible_to(wm_staff).filter(pk=shared_item.pk).exists()


def test_a_partner_cites_a_shared_item_in_a_departure(shared_item, essex_staff, essex_response):
    essex = client_for(essex_staff)
    url = reverse("assessments:departure-create", args=[essex_response.assessment_id])
    assert "Shared by Kent Police" in essex.get(url).content.decode()
    answer = essex.post(
        url,
        {
            "requirement": "4.1(c)",
            "departing_party": "chief_constable",
            "circumstances": "ERSOU provides it",
            "status": "live",
            "reasons": "Scale",
            "alternative_arrangements": "The regional unit",
            "residual_risk": "Low",
            "review_date_day": "31",
            "review_date_month": "3",
            "review_date_year": "2099",
            "evidence": [str(shared_item.pk)],
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    departure = essex_response.assessment.departures.get()
    assert list(departure.evidence.values_list("pk", flat=True)) == [shared_item.pk]
