import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from assessments import records, services, workflow
from assessments.models import Assessment, AssessmentStatus, Challenge, Evidence, Response, Snapshot, Transition
from assessments.records import ResponseAnswer
from assessments.snapshots import snapshot_payload, snapshot_sha256
from core.exceptions import Conflict
from core.roles import Role
from tests.workflow_support import ORDER, advance, answer_all, assessment_in

S = AssessmentStatus


@pytest.fixture
def people(staff_user, chief_user, pcc_user, inspector_user, national_admin_user, other_staff_user, make_user):
    return {
        "staff": staff_user,
        "chief": chief_user,
        "pcc": pcc_user,
        "inspector": inspector_user,
        "admin": national_admin_user,
        "other_staff": other_staff_user,
        "other_pcc": make_user(Role.PCC, "kent", "pcc-other"),
        "other_chief": make_user(Role.CHIEF_CONSTABLE, "kent", "chief-other"),
    }


@pytest.fixture
def build(people, forces, spr2012):
    def _build(state: str, period: str = "2025/26") -> Assessment:
        return assessment_in(
            state,
            force=forces["west-midlands"],
            edition=spr2012,
            staff=people["staff"],
            chief=people["chief"],
            pcc=people["pcc"],
            period=period,
        )

    return _build


def _call(action: str, user, assessment: Assessment):
    kwargs = {"user": user, "assessment": assessment}
    if action == "return":
        kwargs["note"] = "Please add the CBRN exercise evidence"
    if action in ("respond", "sign_off"):
        kwargs["statement"] = "A statement"
    return workflow.ACTIONS[action](**kwargs)


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


EVERYONE = ("staff", "chief", "pcc", "inspector", "admin", "other_staff", "other_pcc", "other_chief")


@pytest.mark.parametrize("state", ORDER)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_every_transition_for_every_role_and_state(build, people, action, state):
    """Everyone who may not is refused and nothing changes: a role that may never do it (or another
    force's people) gets PermissionDenied (403), a role that may but not in this state gets Conflict
    (409). Then each allowed role moves the state and a Transition records who, from and to."""
    allowed = sorted(ALLOWED.get((action, state), set()))
    assessment = build(state)
    for who in EVERYONE:
        if who in allowed:
            continue
        before = Transition.objects.count()
        expected_error = Conflict if who in ROLE_HOLDERS[action] else PermissionDenied
        with pytest.raises(expected_error):
            _call(action, people[who], assessment)
        assessment.refresh_from_db()
        assert (assessment.status, Transition.objects.count()) == (state, before), (action, state, who)

    for number, who in enumerate(allowed):
        subject = assessment if number == 0 else build(state, period="2026/27")
        result = _call(action, people[who], subject)
        assert result.status == workflow.TRANSITIONS[action].target
        transition = Transition.objects.filter(assessment=result, action=action).latest("id")
        assert (transition.actor, transition.from_status, transition.to_status) == (
            people[who],
            state,
            workflow.TRANSITIONS[action].target,
        )


def test_submit_refuses_an_unanswered_assessment_naming_what_is_missing(people, forces, spr2012):
    from tests.factories import make_assessment

    draft = make_assessment(user=people["staff"], force=forces["west-midlands"], edition=spr2012)

    with pytest.raises(ValidationError, match="38 not completed"):
        workflow.assessment_submit(user=people["staff"], assessment=draft)

    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_return_needs_a_reason(build, people):
    submitted = build(S.SUBMITTED)

    with pytest.raises(ValidationError, match="reason"):
        workflow.assessment_return(user=people["pcc"], assessment=submitted, note="  ")


def test_sign_off_is_refused_while_challenges_are_open_and_names_them(build, people):
    responded = build(S.RESPONDED)
    response = responded.responses.select_related("requirement").get(requirement__ref="4.1(c)")
    workflow.challenge_raise(user=people["pcc"], assessment=responded, response=response, text="Show the test")
    workflow.challenge_raise(user=people["staff"], assessment=responded, text="Overall capacity?")

    with pytest.raises(Conflict) as refused:
        workflow.assessment_sign_off(user=people["pcc"], assessment=responded, statement="Assured")

    assert "2 open challenges" in refused.value.message
    assert refused.value.details == ["Challenge on 4.1(c)", "Challenge on the assessment"]
    responded.refresh_from_db()
    assert responded.status == S.RESPONDED


def test_challenge_thread_reply_and_close_then_sign_off(build, people):
    submitted = build(S.SUBMITTED)
    challenge = workflow.challenge_raise(user=people["pcc"], assessment=submitted, text="Where is the CBRN test?")

    with pytest.raises(PermissionDenied):
        workflow.challenge_close(user=people["chief"], challenge=challenge)
    workflow.challenge_reply(user=people["chief"], challenge=challenge, text="Exercise report added as evidence.")
    workflow.challenge_close(user=people["pcc"], challenge=challenge, note="Satisfied")
    responded = workflow.assessment_respond(user=people["chief"], assessment=submitted, statement="We meet the SPR.")
    signed = workflow.assessment_sign_off(user=people["pcc"], assessment=responded, statement="I am assured.")

    assert signed.status == S.SIGNED_OFF and signed.signed_off_by == people["pcc"]
    challenge.refresh_from_db()
    assert (challenge.status, challenge.replies.get().author) == ("closed", people["chief"])
    with pytest.raises(Conflict):
        workflow.challenge_reply(user=people["chief"], challenge=challenge, text="Late reply")


def test_challenges_are_refused_on_drafts_and_to_other_forces(build, people):
    draft = build(S.DRAFT)
    with pytest.raises(Conflict):
        workflow.challenge_raise(user=people["pcc"], assessment=draft, text="Too early")
    submitted = build(S.SUBMITTED, period="2026/27")
    for who in ("other_pcc", "chief", "inspector"):
        with pytest.raises(PermissionDenied):
            workflow.challenge_raise(user=people[who], assessment=submitted, text="Not mine to raise")
    assert not Challenge.objects.exists()


def test_publication_freezes_a_snapshot_whose_hash_recomputes(build, people):
    published = build(S.PUBLISHED)

    snapshot = Snapshot.objects.get(assessment=published)
    assert snapshot.sha256 == snapshot_sha256(snapshot.payload)
    assert len(snapshot.payload["responses"]) == 38
    assert snapshot.payload["schema"] == records.SCHEMA_VERSION
    assert snapshot.payload["assessment"]["sign_off"]["assurance_statement"].startswith("I am assured")
    assert [t["action"] for t in snapshot.payload["transitions"]] == ["submit", "respond", "sign_off", "publish"]
    assert published.published_by == people["pcc"]


def test_a_published_assessment_cannot_change_anywhere(build, people):
    published = build(S.PUBLISHED)
    response = published.responses.first()

    with pytest.raises(Conflict, match="published.*Start a revision"):
        services.response_update(
            user=people["staff"],
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(narrative="Rewritten after publication"),
        )
    with pytest.raises(Conflict):
        services.action_save(
            user=people["staff"],
            assessment=published,
            requirement=response.requirement,
            gap="g",
            description="d",
            owner="o",
            due_date="2026-01-01",
        )
    response.refresh_from_db()
    assert response.narrative != "Rewritten after publication"
    assert Snapshot.objects.get(assessment=published).sha256 == snapshot_sha256(snapshot_payload(published))


def test_revision_starts_a_new_draft_and_keeps_the_published_version(build, people):
    published = build(S.PUBLISHED)

    draft = workflow.assessment_revise(user=people["staff"], assessment=published, note="New CBRN evidence")

    assert (draft.status, draft.revision, draft.supersedes) == (S.DRAFT, 2, published)
    assert draft.responses.filter(judgement__code="assured").count() == 38
    published.refresh_from_db()
    assert published.status == S.PUBLISHED
    with pytest.raises(Conflict, match="already been started"):
        workflow.assessment_revise(user=people["staff"], assessment=published)


def test_inspectors_see_published_and_shared_assessments_only(build, people):
    draft = build(S.DRAFT)
    submitted = build(S.SUBMITTED, period="2026/27")
    published = build(S.PUBLISHED, period="2023/24")

    visible = set(Assessment.objects.visible_to(people["inspector"]))
    assert visible == {published}
    Assessment.objects.filter(pk=submitted.pk).update(share_with_hmic=True)
    assert set(Assessment.objects.visible_to(people["inspector"])) == {published, submitted}
    assert draft not in Assessment.objects.visible_to(people["inspector"])
    assert Response.objects.visible_to(people["inspector"]).filter(assessment=draft).count() == 0


def _race(first, second):
    """Run two callables at once on separate connections; return what each returned or raised."""
    results = [None, None]
    barrier = threading.Barrier(2)

    def run(index, func):
        try:
            barrier.wait()
            results[index] = func()
        except Exception as exc:  # noqa: BLE001 — the outcome is what we assert on
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_sign_offs_leave_one_winner_and_one_conflict(people, forces, spr2012, make_user):
    responded = assessment_in(
        S.RESPONDED,
        force=forces["west-midlands"],
        edition=spr2012,
        staff=people["staff"],
        chief=people["chief"],
        pcc=people["pcc"],
    )
    second_pcc = make_user(Role.PCC, "west-midlands", "pcc-deputy")

    results = _race(
        lambda: workflow.assessment_sign_off(user=people["pcc"], assessment=responded, statement="First"),
        lambda: workflow.assessment_sign_off(user=second_pcc, assessment=responded, statement="Second"),
    )

    winners = [r for r in results if isinstance(r, Assessment)]
    refusals = [r for r in results if isinstance(r, Conflict)]
    assert (len(winners), len(refusals)) == (1, 1), results
    assert Transition.objects.filter(assessment=responded, action="sign_off").count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_submission_either_lands_before_it_or_is_refused(people, forces, spr2012):
    draft = assessment_in(
        S.DRAFT,
        force=forces["west-midlands"],
        edition=spr2012,
        staff=people["staff"],
        chief=people["chief"],
        pcc=people["pcc"],
    )
    response = draft.responses.first()

    results = _race(
        lambda: workflow.assessment_submit(user=people["staff"], assessment=draft),
        lambda: services.response_update(
            user=people["staff"],
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(narrative="Late edit"),
        ),
    )

    response.refresh_from_db()
    submit_result, edit_result = results
    assert isinstance(submit_result, Assessment)
    if isinstance(edit_result, Response):
        transition = Transition.objects.get(assessment=draft, action="submit")
        assert response.updated_at <= transition.at  # the edit landed while it was still a draft
    else:
        assert isinstance(edit_result, Conflict), results
        assert response.narrative != "Late edit"


def test_evidence_of_a_published_assessment_is_visible_to_inspectors(build, people, forces):
    from tests.factories import make_link_evidence

    draft = build(S.DRAFT)
    item = make_link_evidence(user=people["staff"], force=forces["west-midlands"])
    hidden = make_link_evidence(user=people["staff"], force=forces["west-midlands"], title="Unlinked draft note")
    response = draft.responses.first()
    services.response_update(
        user=people["staff"],
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(evidence_ids=[item.id]),
    )
    advance(draft, S.PUBLISHED, staff=people["staff"], chief=people["chief"], pcc=people["pcc"])

    assert set(Evidence.objects.visible_to(people["inspector"])) == {item}
    assert hidden not in Evidence.objects.visible_to(people["inspector"])


def test_answer_all_through_services_completes_every_response(people, forces, spr2012):
    from tests.factories import make_assessment

    draft = make_assessment(user=people["staff"], force=forces["west-midlands"], edition=spr2012)
    answer_all(draft, people["staff"], through_services=True)

    assert workflow.assessment_submit(user=people["staff"], assessment=draft).status == S.SUBMITTED


@pytest.mark.django_db(transaction=True)
def test_an_edit_racing_publication_is_refused_and_the_snapshot_holds(people, forces, spr2012):
    signed = assessment_in(
        S.SIGNED_OFF,
        force=forces["west-midlands"],
        edition=spr2012,
        staff=people["staff"],
        chief=people["chief"],
        pcc=people["pcc"],
    )
    response = signed.responses.first()

    results = _race(
        lambda: workflow.assessment_publish(user=people["pcc"], assessment=signed),
        lambda: services.response_update(
            user=people["staff"],
            response=response,
            expected_version=response.version,
            answer=ResponseAnswer(narrative="Sneaked in"),
        ),
    )

    published, edit = results
    assert isinstance(published, Assessment) and published.status == S.PUBLISHED
    assert isinstance(edit, Conflict), results
    snapshot = Snapshot.objects.get(assessment=signed)
    assert "Sneaked in" not in str(snapshot.payload)
    assert snapshot.sha256 == snapshot_sha256(snapshot_payload(signed))
