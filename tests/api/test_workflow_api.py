"""The workflow through the API: every transition endpoint for every role and state, the workflow
fields and `allowed_actions`, body validation, and the 409 for writes to a published assessment."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import Action, Assessment, AssessmentStatus, Departure, Response, Snapshot, Transition
from tests.api.assessments_api_support import make_action, make_departure
from tests.api.workflow_api_support import EVERYONE, OTHER_FORCE_PEOPLE, detail, post_action, transition_url
from tests.conftest import HOME_FORCE
from tests.factories import make_assessment
from tests.workflow_support import ORDER, advance

S = AssessmentStatus

ALLOWED = {
    ("submit", S.DRAFT): {"staff"},
    ("return", S.SUBMITTED): {"pcc", "chief"},
    ("return", S.RESPONDED): {"pcc", "chief"},
    ("respond", S.SUBMITTED): {"chief"},
    ("sign_off", S.RESPONDED): {"pcc"},
    ("publish", S.SIGNED_OFF): {"pcc"},
    ("revise", S.PUBLISHED): {"staff"},
}
ROLE_HOLDERS = {
    "submit": {"staff"},
    "return": {"pcc", "chief"},
    "respond": {"chief"},
    "sign_off": {"pcc"},
    "publish": {"pcc"},
    "revise": {"staff"},
}
#: What `allowed_actions` shows each home-force role in each state (in the transition table's order).
ALLOWED_NOW = {
    S.DRAFT: {"staff": ["submit"]},
    S.SUBMITTED: {"chief": ["return", "respond"], "pcc": ["return"]},
    S.RESPONDED: {"chief": ["return"], "pcc": ["return", "sign_off"]},
    S.SIGNED_OFF: {"pcc": ["publish"]},
    S.PUBLISHED: {"staff": ["revise"]},
}


def expected_code(who: str, action: str, state: str) -> int:
    if who in OTHER_FORCE_PEOPLE or (who == "inspector" and state != S.PUBLISHED):
        return 404  # not shared with HMIC: an inspector cannot see it at all
    if who in ALLOWED.get((action, state), set()):
        return 201 if action == "revise" else 200
    return 409 if who in ROLE_HOLDERS[action] else 403


@pytest.mark.parametrize("state", ORDER)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_transition_endpoint_answers_every_role_in_every_state(build, clients, people, action, state):
    """Refusals change nothing; each allowed role moves the state, answered with the new state."""
    assessment = build(state)
    allowed = sorted(ALLOWED.get((action, state), set()))
    for who in EVERYONE:
        if who in allowed:
            continue
        answer = post_action(clients[who], assessment, action)
        assert answer.status_code == expected_code(who, action, state), (who, answer.json())
        assert "detail" in answer.json()
        assessment.refresh_from_db()
        assert assessment.status == state, who
    assert Transition.objects.filter(assessment=assessment).count() == ORDER.index(state)

    target = workflow.TRANSITIONS[action].target
    for number, who in enumerate(allowed):
        subject = assessment if number == 0 else build(state, period="2026/27")
        answer = post_action(clients[who], subject, action)
        assert answer.status_code == expected_code(who, action, state), (who, answer.json())
        body = answer.json()
        assert body["status"] == target
        moved = Assessment.objects.get(pk=body["id"])
        transition = Transition.objects.filter(assessment=moved, action=action).latest("id")
        assert (transition.actor, transition.from_status, transition.to_status) == (people[who], state, target)
        # The answer is what a GET shows the same user.
        assert clients[who].get(detail(moved)).json() == body


def test_transition_refusals_say_why(build, clients):
    submitted = build(S.SUBMITTED)
    forbidden = post_action(clients["staff"], submitted, "respond").json()
    assert forbidden["detail"] == "Your role cannot give the chief constable's response for this force"
    conflict = post_action(clients["pcc"], submitted, "sign_off").json()
    assert conflict["detail"] == "You cannot sign off: the assessment is submitted"
    # An unknown id and another force's assessment look the same.
    other = build(S.SUBMITTED, force="kent")
    missing = clients["staff"].post(reverse("api-assessment-submit", kwargs={"pk": 999_999}), {}, format="json").json()
    assert post_action(clients["chief"], other, "respond").json() == missing


def test_journey_through_the_api_shows_the_workflow_fields(build, clients, people):
    assessment = build(S.DRAFT)
    url = detail(assessment)

    def allowed_actions_are(state):
        for who in ("staff", "chief", "pcc", "admin"):
            shown = clients[who].get(url).json()
            assert shown["status"] == state
            assert shown["allowed_actions"] == ALLOWED_NOW[state].get(who, []), (state, who)

    draft = clients["staff"].get(url).json()
    for name in ("chief_statement", "assurance_statement"):
        assert draft[name] == ""
    for name in ("chief_statement_by", "chief_statement_at", "signed_off_by", "signed_off_at", "published_by",
                 "published_at", "supersedes", "snapshot_sha256"):  # fmt: skip
        assert draft[name] is None, name
    assert (draft["revision"], draft["share_with_hmic"]) == (1, False)
    allowed_actions_are(S.DRAFT)

    assert post_action(clients["staff"], assessment, "submit").status_code == 200
    allowed_actions_are(S.SUBMITTED)

    responded = post_action(clients["chief"], assessment, "respond", {"statement": "  Met, with gaps.\n"}).json()
    assert responded["chief_statement"] == "Met, with gaps."
    assert responded["chief_statement_by"] == "chief-home"
    assert responded["chief_statement_at"]
    allowed_actions_are(S.RESPONDED)

    signed = post_action(clients["pcc"], assessment, "sign_off", {"statement": "Assured."}).json()
    assert (signed["assurance_statement"], signed["signed_off_by"]) == ("Assured.", "pcc-home")
    assert signed["signed_off_at"]
    allowed_actions_are(S.SIGNED_OFF)

    published = post_action(clients["pcc"], assessment, "publish").json()
    snapshot = Snapshot.objects.get(assessment=assessment)
    assert published["snapshot_sha256"] == snapshot.sha256
    assert (published["published_by"], bool(published["published_at"])) == ("pcc-home", True)
    allowed_actions_are(S.PUBLISHED)
    assert clients["inspector"].get(url).json()["allowed_actions"] == []
    listed = clients["staff"].get(reverse("api-assessment-list")).json()["results"]
    assert [row for row in listed if row["id"] == assessment.pk] == [clients["staff"].get(url).json()]

    revised = post_action(clients["staff"], assessment, "revise")
    assert revised.status_code == 201
    draft = revised.json()
    assert revised["Location"].endswith(reverse("api-assessment-detail", kwargs={"pk": draft["id"]}))
    assert (draft["status"], draft["revision"], draft["supersedes"]) == ("draft", 2, assessment.pk)
    assert (draft["snapshot_sha256"], draft["chief_statement"], draft["allowed_actions"]) == (None, "", ["submit"])
    # The published version is unchanged; a second revision of it is refused.
    assert clients["staff"].get(url).json()["status"] == "published"
    again = post_action(clients["staff"], assessment, "revise")
    assert again.status_code == 409
    assert "already been started" in again.json()["detail"]
    assert Assessment.objects.filter(supersedes=assessment).count() == 1


def test_submit_can_share_with_hmic_before_publication(build, clients):
    assessment = build(S.DRAFT)
    assert clients["inspector"].get(detail(assessment)).status_code == 404
    answer = post_action(clients["staff"], assessment, "submit", {"share_with_hmic": True, "note": "Shared early"})
    assert answer.status_code == 200
    assert answer.json()["share_with_hmic"] is True
    seen = clients["inspector"].get(detail(assessment))
    assert seen.status_code == 200
    assert seen.json()["allowed_actions"] == []
    # Seeing is not acting: HMIC may not move it.
    for action in ("return", "respond"):
        assert post_action(clients["inspector"], assessment, action).status_code == 403
    assert Transition.objects.get(assessment=assessment).note == "Shared early"


def test_submit_of_an_unanswered_draft_is_400_naming_what_is_missing(people, clients, forces, spr2012):
    draft = make_assessment(user=people["staff"], force=forces[HOME_FORCE], edition=spr2012)
    answer = post_action(clients["staff"], draft, "submit")
    assert answer.status_code == 400
    assert "38 not completed" in str(answer.json())
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize(
    ("state", "who", "action", "body", "field"),
    [
        (S.DRAFT, "staff", "submit", {"statement": "Not mine to give"}, "statement"),
        (S.DRAFT, "staff", "submit", {"share_with_hmic": "perhaps"}, "share_with_hmic"),
        (S.DRAFT, "staff", "submit", {"note": 42}, "note"),
        (S.DRAFT, "staff", "submit", {"status": "published"}, "status"),
        (S.SUBMITTED, "pcc", "return", {}, "note"),
        (S.SUBMITTED, "pcc", "return", {"note": "   "}, "note"),
        (S.SUBMITTED, "pcc", "return", {"note": None}, "note"),
        (S.SUBMITTED, "chief", "respond", {}, "statement"),
        (S.SUBMITTED, "chief", "respond", {"statement": "\n "}, "statement"),
        (S.SUBMITTED, "chief", "respond", {"statement": ["A list"]}, "statement"),
        (S.SUBMITTED, "chief", "respond", {"statement": "Fine", "colour": "red"}, "colour"),
        (S.SUBMITTED, "chief", "respond", {"statement": "Fine", "share_with_hmic": True}, "share_with_hmic"),
        (S.RESPONDED, "pcc", "sign_off", {}, "statement"),
        (S.RESPONDED, "pcc", "sign_off", {"statement": "Assured", "signed_off_by": "someone"}, "signed_off_by"),
        (S.SIGNED_OFF, "pcc", "publish", {"snapshot_sha256": "0" * 64}, "snapshot_sha256"),
        (S.PUBLISHED, "staff", "revise", {"revision": 9}, "revision"),
    ],
)
def test_transition_body_is_validated_and_nothing_changes(build, clients, state, who, action, body, field):
    assessment = build(state)
    answer = post_action(clients[who], assessment, action, body)
    assert answer.status_code == 400
    assert field in answer.json(), answer.json()
    assessment.refresh_from_db()
    assert assessment.status == state
    assert Transition.objects.filter(assessment=assessment).count() == ORDER.index(state)
    assert Assessment.objects.count() == 1


def test_transition_refuses_malformed_bodies(build, clients):
    assessment = build(S.SUBMITTED)
    url = transition_url(assessment, "respond")
    assert clients["chief"].post(url, '{"statement": ', content_type="application/json").status_code == 400
    assert clients["chief"].post(url, ["statement"], format="json").status_code == 400
    assert clients["chief"].post(url, "[" * 3000, content_type="application/json").status_code == 400
    assessment.refresh_from_db()
    assert assessment.status == S.SUBMITTED


def test_missing_statement_words_match_the_pages(build, clients):
    submitted = build(S.SUBMITTED)
    assert post_action(clients["chief"], submitted, "respond", {}).json() == {
        "statement": ["Enter the chief constable's statement"]
    }
    assert post_action(clients["pcc"], submitted, "return", {}).json() == {
        "note": ["Enter the reason for returning the assessment"]
    }
    assert post_action(clients["chief"], submitted, "respond", {"colour": "red"}).json() == {
        "colour": ["This field is not recognised"]
    }


def test_transitions_are_post_only(build, clients):
    assessment = build(S.DRAFT)
    for action in workflow.TRANSITIONS:
        url = transition_url(assessment, action)
        for method in ("get", "put", "patch", "delete"):
            assert getattr(clients["staff"], method)(url).status_code == 405, (action, method)


# Writes to a published assessment ------------------------------------------------------------------


@pytest.fixture
def published(people, forces, spr2012):
    """A published assessment that has a departure and an action from its draft days."""
    assessment = make_assessment(user=people["staff"], force=forces[HOME_FORCE], edition=spr2012)
    departure = make_departure(people["staff"], assessment)
    action = make_action(people["staff"], assessment)
    assessment = advance(assessment, S.PUBLISHED, staff=people["staff"], chief=people["chief"], pcc=people["pcc"])
    return {"assessment": assessment, "departure": departure, "action": action}


FROZEN = "This assessment is published, so it cannot be changed. Start a revision to change it."


def test_published_assessment_refuses_every_record_write_with_409(published, clients):
    staff = clients["staff"]
    assessment = published["assessment"]
    response = assessment.responses.get(requirement__ref="3.1(a)")
    patched = staff.patch(
        reverse("api-response-detail", kwargs={"pk": response.pk}),
        {"narrative": "Changed after publication"},
        format="json",
        HTTP_IF_MATCH=f'"{response.version}"',
    )
    departure_url = reverse("api-departure-detail", kwargs={"pk": published["departure"].pk})
    action_url = reverse("api-action-detail", kwargs={"pk": published["action"].pk})
    answers = [
        patched,
        staff.post(
            reverse("api-departure-list"),
            {
                "assessment": assessment.pk,
                "requirement": "4.1(a)",
                "departing_party": "pcc",
                "circumstances": "c",
                "reasons": "r",
                "alternative_arrangements": "a",
                "residual_risk": "r",
                "review_date": "2099-03-31",
            },
            format="json",
        ),  # fmt: skip
        staff.patch(departure_url, {"reasons": "Changed"}, format="json"),
        staff.post(
            reverse("api-action-list"),
            {
                "assessment": assessment.pk,
                "requirement": "3.1(b)",
                "gap": "g",
                "description": "d",
                "owner": "o",
                "due_date": "2099-01-31",
            },
            format="json",
        ),  # fmt: skip
        staff.patch(action_url, {"status": "done"}, format="json"),
    ]
    for answer in answers:
        assert answer.status_code == 409, answer.json()
        assert answer.json()["detail"] == FROZEN
    stored = Response.objects.get(pk=response.pk)
    assert (stored.version, stored.narrative) == (response.version, response.narrative)
    assert Departure.objects.get().reasons == published["departure"].reasons
    assert Action.objects.get().status == "open"
    # The snapshot still matches the records.
    from assessments.snapshots import snapshot_payload, snapshot_sha256

    assert snapshot_sha256(snapshot_payload(assessment)) == Snapshot.objects.get().sha256


def test_published_assessment_record_writes_by_reader_roles_stay_403(published, clients):
    response = published["assessment"].responses.first()
    for who in ("chief", "pcc", "inspector"):
        answer = clients[who].patch(
            reverse("api-response-detail", kwargs={"pk": response.pk}),
            {"narrative": "x"},
            format="json",
            HTTP_IF_MATCH=f'"{response.version}"',
        )
        assert answer.status_code == 403, who


def test_a_revision_is_editable_again(published, clients, people):
    revised = post_action(clients["staff"], published["assessment"], "revise").json()
    response = Response.objects.get(assessment_id=revised["id"], requirement__ref="3.1(a)")
    answer = clients["staff"].patch(
        reverse("api-response-detail", kwargs={"pk": response.pk}),
        {"narrative": "Updated for the revision"},
        format="json",
        HTTP_IF_MATCH=f'"{response.version}"',
    )
    assert answer.status_code == 200, answer.json()
    assert Response.objects.get(pk=response.pk).narrative == "Updated for the revision"


# Anonymous and list queries -------------------------------------------------------------------------


def test_workflow_endpoints_refuse_anonymous(build):
    assessment = build(S.PUBLISHED)
    anonymous = APIClient()
    for action in workflow.TRANSITIONS:
        assert anonymous.post(transition_url(assessment, action), {}, format="json").status_code in (401, 403)
    for name in ("history", "snapshot"):
        url = reverse(f"api-assessment-{name}", kwargs={"pk": assessment.pk})
        assert anonymous.get(url).status_code in (401, 403), name
    assessment.refresh_from_db()
    assert assessment.status == S.PUBLISHED


def test_assessment_list_queries_do_not_grow_with_workflow_fields(build, clients, django_assert_max_num_queries):
    build(S.PUBLISHED, period="2020/21")
    url = reverse("api-assessment-list")
    with django_assert_max_num_queries(6) as one:
        assert clients["staff"].get(url).json()["count"] == 1
    for year, state in ((21, S.PUBLISHED), (22, S.SIGNED_OFF), (23, S.RESPONDED)):
        build(state, period=f"20{year}/{year + 1}")
    with django_assert_max_num_queries(6) as four:
        rows = clients["staff"].get(url).json()["results"]
    assert len(rows) == 4
    assert sum(1 for row in rows if row["snapshot_sha256"]) == 2
    assert len(four) == len(one)
