"""An assessment's history (transitions and audit trail) and its published snapshot through the API."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from assessments import services, workflow
from assessments.models import AssessmentStatus, Snapshot
from assessments.records import ResponseAnswer
from core.audit import canonical
from core.models import AuditEntry
from tests.api.assessments_api_support import make_action, make_departure
from tests.api.workflow_api_support import OTHER_FORCE_PEOPLE, post_action
from tests.conftest import HOME_FORCE
from tests.factories import make_assessment
from tests.snapshot_support import store_snapshot, stored_payload

S = AssessmentStatus


def _history(assessment) -> str:
    return reverse("api-assessment-history", kwargs={"pk": assessment.pk})


def _snapshot(assessment) -> str:
    return reverse("api-assessment-snapshot", kwargs={"pk": assessment.pk})


def _edit(client, response, narrative: str):
    return client.patch(
        reverse("api-response-detail", kwargs={"pk": response.pk}),
        {"narrative": narrative},
        format="json",
        HTTP_IF_MATCH=f'"{response.version}"',
    )


# History --------------------------------------------------------------------------------------------


def test_history_shows_who_changed_a_response_when_and_what(people, forces, spr2012, clients):
    # Not `build`: its set-up answers every requirement in one UPDATE, which leaves no history.
    assessment = make_assessment(user=people["staff"], force=forces[HOME_FORCE], edition=spr2012)
    response = assessment.responses.get(requirement__ref="3.1(a)")
    before = response.narrative
    assert _edit(clients["staff"], response, "Exercised in May").status_code == 200
    body = clients["pcc"].get(_history(assessment)).json()
    assert set(body) == {"count", "next", "previous", "transitions", "results"}
    latest = body["results"][0]
    assert set(latest) == {"at", "actor", "action", "model", "object_id", "object_repr", "changes"}
    assert (latest["actor"], latest["action"], latest["model"], latest["object_id"]) == (
        "staff-home",
        "changed",
        "assessments.response",
        str(response.pk),
    )
    assert "3.1(a)" in latest["object_repr"]
    assert latest["changes"]["narrative"] == [before, "Exercised in May"]
    assert latest["changes"]["version"] == [response.version, response.version + 1]
    entry = AuditEntry.objects.get(model="assessments.response", object_id=str(response.pk), action="changed",
                                   changes__narrative__1="Exercised in May")  # fmt: skip
    assert latest["at"].replace("Z", "+00:00")[:19] == entry.at.isoformat()[:19]
    assert body["transitions"] == []


def test_history_lists_transitions_newest_first(build, clients):
    assessment = build(S.SUBMITTED)
    assert post_action(clients["pcc"], assessment, "return", {"note": "Add the ROCU evidence"}).status_code == 200
    transitions = clients["staff"].get(_history(assessment)).json()["transitions"]
    assert [(t["action"], t["from"], t["to"], t["by"], t["note"]) for t in transitions] == [
        ("return", "submitted", "draft", "pcc-home", "Add the ROCU evidence"),
        ("submit", "draft", "submitted", "staff-home", ""),
    ]
    assert all(t["at"] for t in transitions)


def test_history_covers_the_assessment_and_its_records_only(build, people, clients):
    staff, pcc, chief = people["staff"], people["pcc"], people["chief"]
    assessment = build(S.DRAFT)
    departure = make_departure(staff, assessment)
    action = make_action(staff, assessment)
    # Another assessment of the same force, and one of another force, each with changes of their own.
    neighbour = build(S.DRAFT, period="2026/27")
    make_departure(staff, neighbour)
    foreign = build(S.DRAFT, force="kent")
    services.response_update(
        user=people["other_staff"],
        response=foreign.responses.first(),
        expected_version=2,
        answer=ResponseAnswer(narrative="Kent"),
    )
    workflow.assessment_submit(user=staff, assessment=assessment)
    challenge = workflow.challenge_raise(user=pcc, assessment=assessment, text="Why?")
    reply = workflow.challenge_reply(user=chief, challenge=challenge, text="Because.")

    rows = clients["staff"].get(_history(assessment), {"page_size": 500}).json()["results"]
    seen = {(row["model"], row["object_id"]) for row in rows}
    transition = assessment.transitions.get()
    assert seen == {
        ("assessments.assessment", str(assessment.pk)),
        *(("assessments.response", str(pk)) for pk in assessment.responses.values_list("pk", flat=True)),
        ("assessments.departure", str(departure.pk)),
        ("assessments.action", str(action.pk)),
        ("assessments.transition", str(transition.pk)),
        ("assessments.challenge", str(challenge.pk)),
        ("assessments.challengereply", str(reply.pk)),
    }
    # Newest first: the reply was the last change.
    assert (rows[0]["model"], rows[0]["actor"]) == ("assessments.challengereply", "chief-home")
    status_change = next(row for row in rows if row["model"] == "assessments.assessment" and "status" in row["changes"])
    assert status_change["changes"]["status"] == ["draft", "submitted"]


def test_history_paginates(build, clients):
    assessment = build(S.DRAFT)
    first = clients["staff"].get(_history(assessment), {"page_size": 5}).json()
    assert first["count"] > 5
    assert len(first["results"]) == 5
    assert first["previous"] is None
    second = clients["staff"].get(first["next"]).json()
    assert second["previous"]
    assert not {(r["model"], r["object_id"], r["at"]) for r in first["results"]} & {
        (r["model"], r["object_id"], r["at"]) for r in second["results"]
    }


def test_history_is_for_those_who_may_see_the_assessment(build, clients):
    assessment = build(S.SUBMITTED)
    for who in ("staff", "chief", "pcc", "admin"):
        assert clients[who].get(_history(assessment)).status_code == 200, who
    for who in (*OTHER_FORCE_PEOPLE, "inspector"):
        assert clients[who].get(_history(assessment)).status_code == 404, who
    assert clients["staff"].get(reverse("api-assessment-history", kwargs={"pk": 999_999})).status_code == 404
    assessment.share_with_hmic = True
    assessment.save(update_fields=["share_with_hmic"])
    assert clients["inspector"].get(_history(assessment)).status_code == 200


def test_history_has_no_write_methods(build, clients):
    assessment = build(S.DRAFT)
    count = AuditEntry.objects.count()
    for method in ("post", "put", "patch", "delete"):
        answer = getattr(clients["staff"], method)(_history(assessment), {"changes": {}}, format="json")
        assert answer.status_code == 405, method
    assert AuditEntry.objects.count() == count


def test_history_queries_do_not_grow(build, people, clients, django_assert_max_num_queries):
    staff, pcc, chief = people["staff"], people["pcc"], people["chief"]
    assessment = build(S.DRAFT)
    client = clients["pcc"]
    with django_assert_max_num_queries(8) as small:
        assert client.get(_history(assessment), {"page_size": 500}).status_code == 200
    for ref in ("4.1(a)", "4.1(b)", "4.1(c)"):
        make_departure(staff, assessment, ref)
        make_action(staff, assessment, ref)
    for response in assessment.responses.all()[:10]:
        services.response_update(
            user=staff, response=response, expected_version=response.version, answer=ResponseAnswer(narrative="More")
        )
    workflow.assessment_submit(user=staff, assessment=assessment)
    for n in range(3):
        challenge = workflow.challenge_raise(user=pcc, assessment=assessment, text=f"Q{n}")
        workflow.challenge_reply(user=chief, challenge=challenge, text=f"A{n}")
    workflow.assessment_return(user=pcc, assessment=assessment, note="Again")
    with django_assert_max_num_queries(8) as large:
        body = client.get(_history(assessment), {"page_size": 500}).json()
    assert len(body["transitions"]) == 2
    assert body["count"] > 60
    assert len(large) == len(small)


# Snapshot -------------------------------------------------------------------------------------------


def test_snapshot_of_a_published_assessment(build, clients):
    assessment = build(S.PUBLISHED)
    stored = Snapshot.objects.get(assessment=assessment)
    for who in ("staff", "chief", "pcc", "inspector", "admin"):
        answer = clients[who].get(_snapshot(assessment))
        assert answer.status_code == 200, who
        body = answer.json()
        assert set(body) == {"assessment", "sha256", "created_at", "payload"}
        assert (body["assessment"], body["sha256"]) == (assessment.pk, stored.sha256)
        # Anyone holding the payload can check the hash.
        assert hashlib.sha256(canonical(body["payload"])).hexdigest() == body["sha256"]
        assert body["payload"]["assessment"]["id"] == assessment.pk
        assert body["payload"]["assessment"]["status"] == "published"
    assert (
        clients["staff"].get(reverse("api-assessment-detail", kwargs={"pk": assessment.pk})).json()["snapshot_sha256"]
        == stored.sha256
    )


def test_snapshot_stored_in_schema_1_is_answered_as_stored(build, clients):
    """The answer is the evidence itself: the payload exactly as stored and hashed, in the shape its
    `schema` names (readers upgrade it with assessments.records.upgrade), so its hash still checks."""
    assessment = build(S.PUBLISHED)
    payload = stored_payload(1)
    payload["assessment"]["id"] = assessment.pk
    stored = store_snapshot(assessment, payload)

    for who in ("staff", "inspector"):
        answer = clients[who].get(_snapshot(assessment))
        assert answer.status_code == 200, who
        body = answer.json()
        assert set(body) == {"assessment", "sha256", "created_at", "payload"}
        assert (body["payload"], body["sha256"]) == (payload, stored.sha256)
        assert body["payload"]["schema"] == 1
        assert body["payload"]["assessment"]["signed_off_by"] == "pcc-home"
        assert hashlib.sha256(canonical(body["payload"])).hexdigest() == body["sha256"]


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RESPONDED, S.SIGNED_OFF])
def test_snapshot_is_404_until_published(build, clients, state):
    assessment = build(state)
    assert clients["staff"].get(_snapshot(assessment)).status_code == 404


def test_snapshot_is_404_for_another_force(build, clients):
    assessment = build(S.PUBLISHED)
    for who in OTHER_FORCE_PEOPLE:
        assert clients[who].get(_snapshot(assessment)).status_code == 404, who
    for method in ("post", "put", "patch", "delete"):
        assert getattr(clients["pcc"], method)(_snapshot(assessment), {}, format="json").status_code == 405
