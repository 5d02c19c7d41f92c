"""The PCC's challenges through the API: raise, reply, close, who may and when, the sign-off they
block, force isolation and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import workflow
from assessments.models import AssessmentStatus, Challenge, ChallengeReply
from tests.api.workflow_api_support import OTHER_FORCE_PEOPLE, detail, post_action

S = AssessmentStatus
LIST = "api-challenge-list"


def _url(challenge, name: str = "detail") -> str:
    return reverse(f"api-challenge-{name}", kwargs={"pk": challenge.pk})


def _raise(client, assessment, text="Show the CBRN exercise results", **extra):
    return client.post(reverse(LIST), {"assessment": assessment.pk, "text": text, **extra}, format="json")


@pytest.fixture
def submitted(build):
    return build(S.SUBMITTED)


@pytest.fixture
def challenge(submitted, people) -> Challenge:
    response = submitted.responses.get(requirement__ref="3.1(a)")
    return workflow.challenge_raise(
        user=people["pcc"], assessment=submitted, response=response, text="Where is the exercise report?"
    )


# Raise ----------------------------------------------------------------------------------------------


def test_pcc_raises_a_challenge_on_a_response(submitted, clients):
    response = submitted.responses.get(requirement__ref="3.2(a)(ii)")
    answer = _raise(clients["pcc"], submitted, "  Explain the mutual aid gap\n", response=response.pk)
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert answer["Location"].endswith(reverse("api-challenge-detail", kwargs={"pk": body["id"]}))
    assert body == {
        "id": body["id"],
        "assessment": submitted.pk,
        "response": response.pk,
        "requirement": "3.2(a)(ii)",
        "text": "Explain the mutual aid gap",
        "status": "open",
        "raised_by": "pcc-home",
        "created_at": body["created_at"],
        "closed_by": None,
        "closed_at": None,
        "closing_note": "",
        "replies": [],
    }


def test_pcc_office_raises_a_challenge_on_the_whole_assessment(submitted, clients):
    answer = _raise(clients["staff"], submitted)
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["response"], answer.json()["requirement"]) == (None, None)
    assert answer.json()["raised_by"] == "staff-home"


@pytest.mark.parametrize(
    ("state", "who", "code"),
    [
        (S.SUBMITTED, "pcc", 201),
        (S.RESPONDED, "staff", 201),
        (S.SUBMITTED, "chief", 403),
        (S.RESPONDED, "chief", 403),
        (S.DRAFT, "pcc", 409),
        (S.SIGNED_OFF, "pcc", 409),
        (S.PUBLISHED, "staff", 409),
    ],
)
def test_who_may_raise_a_challenge_and_when(build, clients, state, who, code):
    assessment = build(state)
    answer = _raise(clients[who], assessment)
    assert answer.status_code == code, answer.json()
    assert Challenge.objects.count() == (1 if code == 201 else 0)


def test_raise_by_roles_that_cannot_see_or_may_not(submitted, clients):
    # National roles see the assessment once shared, but may not challenge.
    submitted.share_with_hmic = True
    submitted.save(update_fields=["share_with_hmic"])
    for who in ("inspector", "admin"):
        assert _raise(clients[who], submitted).status_code == 403, who
    # Another force's assessment is "does not exist", as for a made-up id.
    for who in OTHER_FORCE_PEOPLE:
        answer = _raise(clients[who], submitted)
        assert answer.status_code == 400, who
        assert set(answer.json()) == {"assessment"}
    assert Challenge.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": 42}, "text"),
        ({"assessment": None}, "assessment"),
        ({"assessment": 999_999}, "assessment"),
        ({"response": 999_999}, "response"),
        ({"status": "closed"}, "status"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_raise_body_is_validated(submitted, clients, body, field):
    answer = clients["pcc"].post(reverse(LIST), {"assessment": submitted.pk, "text": "Why?", **body}, format="json")
    assert answer.status_code == 400
    assert field in answer.json(), answer.json()
    assert Challenge.objects.count() == 0


def test_raise_refuses_a_response_of_another_assessment(submitted, build, clients):
    later = build(S.SUBMITTED, period="2026/27")
    answer = _raise(clients["pcc"], submitted, response=later.responses.first().pk)
    assert answer.status_code == 400
    assert answer.json() == {"response": ["Choose a requirement of this assessment"]}
    assert Challenge.objects.count() == 0


# Read -----------------------------------------------------------------------------------------------


def test_challenge_detail_has_its_thread(challenge, people, clients):
    workflow.challenge_reply(user=people["chief"], challenge=challenge, text="Attached to 3.1(a) now.")
    workflow.challenge_reply(user=people["pcc"], challenge=challenge, text="Thank you.")
    body = clients["chief"].get(_url(challenge)).json()
    assert body["requirement"] == "3.1(a)"
    assert [(r["author"], r["text"]) for r in body["replies"]] == [
        ("chief-home", "Attached to 3.1(a) now."),
        ("pcc-home", "Thank you."),
    ]
    assert set(body["replies"][0]) == {"id", "author", "text", "created_at"}


def test_challenge_list_filters(challenge, submitted, people, clients, build):
    closed = workflow.challenge_raise(user=people["pcc"], assessment=submitted, text="And the ROCU?")
    workflow.challenge_close(user=people["pcc"], challenge=closed, note="Answered at the meeting")
    other = build(S.SUBMITTED, period="2026/27")
    elsewhere = workflow.challenge_raise(user=people["staff"], assessment=other, text="Different year")
    client = clients["chief"]

    def ids(**params):
        answer = client.get(reverse(LIST), params)
        assert answer.status_code == 200, answer.json()
        return [row["id"] for row in answer.json()["results"]]

    assert ids() == [challenge.pk, closed.pk, elsewhere.pk]
    assert ids(assessment=submitted.pk) == [challenge.pk, closed.pk]
    assert ids(assessment=submitted.pk, status="open") == [challenge.pk]
    assert ids(status="closed") == [closed.pk]
    assert ids(assessment=999_999) == []
    assert client.get(reverse(LIST), {"status": "pending"}).status_code == 400


def test_challenges_are_hidden_from_other_forces_and_from_hmic_until_shared(challenge, clients, submitted):
    for who in (*OTHER_FORCE_PEOPLE, "inspector"):
        assert clients[who].get(_url(challenge)).status_code == 404, who
        assert clients[who].get(reverse(LIST)).json()["count"] == 0, who
        assert clients[who].get(reverse(LIST), {"assessment": submitted.pk}).json()["count"] == 0, who
    submitted.share_with_hmic = True
    submitted.save(update_fields=["share_with_hmic"])
    assert clients["inspector"].get(_url(challenge)).status_code == 200
    assert clients["admin"].get(reverse(LIST)).json()["count"] == 1


# Reply and close ------------------------------------------------------------------------------------


def test_chief_constable_replies_and_the_pcc_follows_up(challenge, clients):
    answer = clients["chief"].post(_url(challenge, "replies"), {"text": " The report is attached. "}, format="json")
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["author"], answer.json()["text"]) == ("chief-home", "The report is attached.")
    for who in ("pcc", "staff"):
        assert clients[who].post(_url(challenge, "replies"), {"text": "Noted"}, format="json").status_code == 201
    assert list(challenge.replies.values_list("author__username", flat=True)) == [
        "chief-home",
        "pcc-home",
        "staff-home",
    ]


def test_reply_refusals(challenge, submitted, clients):
    url = _url(challenge, "replies")
    assert clients["chief"].post(url, {"text": ""}, format="json").json() == {"text": ["Enter your reply"]}
    assert clients["chief"].post(url, {"text": "x", "author": "pcc-home"}, format="json").status_code == 400
    for who in OTHER_FORCE_PEOPLE + ("inspector",):
        assert clients[who].post(url, {"text": "x"}, format="json").status_code == 404, who
    assert clients["admin"].post(url, {"text": "x"}, format="json").status_code == 403
    submitted.share_with_hmic = True
    submitted.save(update_fields=["share_with_hmic"])
    assert clients["inspector"].post(url, {"text": "x"}, format="json").status_code == 403
    assert ChallengeReply.objects.count() == 0


def test_pcc_closes_a_challenge_and_it_then_takes_no_replies(challenge, clients):
    assert clients["chief"].post(_url(challenge, "close"), {}, format="json").status_code == 403
    answer = clients["pcc"].post(_url(challenge, "close"), {"note": "Satisfied"}, format="json")
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert (body["status"], body["closed_by"], body["closing_note"]) == ("closed", "pcc-home", "Satisfied")
    assert body["closed_at"]
    again = clients["staff"].post(_url(challenge, "close"), {}, format="json")
    assert again.status_code == 409
    assert "already closed" in again.json()["detail"]
    late = clients["chief"].post(_url(challenge, "replies"), {"text": "One more thing"}, format="json")
    assert late.status_code == 409
    assert ChallengeReply.objects.count() == 0


def test_close_refusals(challenge, clients):
    url = _url(challenge, "close")
    assert clients["pcc"].post(url, {"note": "x", "status": "closed"}, format="json").status_code == 400
    for who in OTHER_FORCE_PEOPLE + ("inspector",):
        assert clients[who].post(url, {}, format="json").status_code == 404, who
    assert clients["admin"].post(url, {}, format="json").status_code == 403
    assert Challenge.objects.get().status == "open"


def test_challenge_of_a_returned_assessment_can_no_longer_be_answered(challenge, submitted, clients):
    assert post_action(clients["pcc"], submitted, "return").status_code == 200
    assert clients["chief"].post(_url(challenge, "replies"), {"text": "x"}, format="json").status_code == 409
    assert clients["pcc"].post(_url(challenge, "close"), {}, format="json").status_code == 409


def test_challenges_are_read_only_except_their_actions(challenge, clients):
    for method in ("put", "patch", "delete"):
        assert getattr(clients["pcc"], method)(_url(challenge), {}, format="json").status_code == 405, method
    for name in ("replies", "close"):
        assert clients["pcc"].get(_url(challenge, name)).status_code == 405, name


# Sign-off and open challenges -----------------------------------------------------------------------


def test_sign_off_is_409_listing_open_challenges_until_they_are_closed(build, people, clients):
    assessment = build(S.RESPONDED)
    response = assessment.responses.get(requirement__ref="3.1(a)")
    on_response = _raise(clients["pcc"], assessment, "Where is the report?", response=response.pk).json()
    on_whole = _raise(clients["staff"], assessment, "Is the statement complete?").json()

    refused = post_action(clients["pcc"], assessment, "sign_off")
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Close the 2 open challenges before signing off",
        "details": ["Challenge on 3.1(a)", "Challenge on the assessment"],
    }
    assert clients["pcc"].get(detail(assessment)).json()["status"] == "responded"

    closed = Challenge.objects.get(pk=on_response["id"])
    assert clients["pcc"].post(_url(closed, "close"), {"note": "Seen it"}, format="json").status_code == 200
    still = post_action(clients["pcc"], assessment, "sign_off").json()
    assert still["details"] == ["Challenge on the assessment"]
    assert still["detail"] == "Close the 1 open challenge before signing off"

    last = Challenge.objects.get(pk=on_whole["id"])
    assert clients["staff"].post(_url(last, "close"), {}, format="json").status_code == 200
    signed = post_action(clients["pcc"], assessment, "sign_off")
    assert signed.status_code == 200
    assert signed.json()["status"] == "signed_off"


# Anonymous and queries ------------------------------------------------------------------------------


def test_challenges_refuse_anonymous(challenge, submitted):
    anonymous = APIClient()
    assert anonymous.get(reverse(LIST)).status_code in (401, 403)
    assert anonymous.get(_url(challenge)).status_code in (401, 403)
    assert _raise(anonymous, submitted).status_code in (401, 403)
    for name in ("replies", "close"):
        assert anonymous.post(_url(challenge, name), {"text": "x"}, format="json").status_code in (401, 403)
    assert Challenge.objects.get().status == "open"
    assert ChallengeReply.objects.count() == 0


def test_challenge_list_queries_do_not_grow(
    challenge, submitted, build, people, clients, django_assert_max_num_queries
):
    client = clients["pcc"]
    workflow.challenge_reply(user=people["chief"], challenge=challenge, text="First")
    with django_assert_max_num_queries(7) as small:
        assert client.get(reverse(LIST)).json()["count"] == 1
    later = build(S.RESPONDED, period="2026/27")
    for assessment in (submitted, later):
        for n in range(4):
            raised = workflow.challenge_raise(
                user=people["staff"], assessment=assessment, response=assessment.responses.all()[n], text=f"Q{n}"
            )
            for who in ("chief", "pcc", "staff"):
                workflow.challenge_reply(user=people[who], challenge=raised, text=f"{who} on Q{n}")
            if n % 2:
                workflow.challenge_close(user=people["pcc"], challenge=raised)
    with django_assert_max_num_queries(7) as large:
        rows = client.get(reverse(LIST)).json()["results"]
    assert len(rows) == 9
    assert sum(len(row["replies"]) for row in rows) == 25
    assert len(large) == len(small)
