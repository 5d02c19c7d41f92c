"""The workflow pages: submit, return, respond, sign off, publish, revise, challenges, history and
"waiting for you", for every role, in every state, and for another force."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services, workflow
from assessments.models import Assessment, AssessmentStatus, Challenge, ChallengeReply, Snapshot
from assessments.records import ResponseAnswer
from assessments.views import ACTION_PAGES
from core.roles import Role
from tests.workflow_support import answer_all, assessment_in

S = AssessmentStatus
REF = "3.2(a)(ii)"

BUTTONS = {
    "submit": "Check your answers and submit</a>",
    "respond": "Give the chief constable's response</a>",
    "sign_off": ">Sign off</a>",
    "publish": ">Publish to HMIC</a>",
    "revise": ">Start a revision</a>",
    "return": ">Return for changes</a>",
}
URL_NAMES = {
    "return": "assessments:return",
    "respond": "assessments:respond",
    "sign_off": "assessments:sign-off",
    "publish": "assessments:publish",
    "revise": "assessments:revise",
}
DATA = {
    "return": {"note": "Please add the CBRN exercise evidence"},
    "respond": {"statement": "The force meets the SPR, with the gaps noted."},
    "sign_off": {"statement": "I am assured, subject to the actions recorded."},
    "publish": {},
    "revise": {},
}
#: Who may take each action from each state (the transition table, as people see it).
ALLOWED = {
    (S.DRAFT, "staff"): {"submit"},
    (S.SUBMITTED, "chief"): {"respond", "return"},
    (S.SUBMITTED, "pcc"): {"return"},
    (S.RESPONDED, "chief"): {"return"},
    (S.RESPONDED, "pcc"): {"sign_off", "return"},
    (S.SIGNED_OFF, "pcc"): {"publish"},
    (S.PUBLISHED, "staff"): {"revise"},
}
ROLES = ["staff", "chief", "pcc", "admin"]


@pytest.fixture
def people(staff_user, chief_user, pcc_user, inspector_user, national_admin_user, other_staff_user, make_user):
    return {
        "staff": staff_user,
        "chief": chief_user,
        "pcc": pcc_user,
        "inspector": inspector_user,
        "admin": national_admin_user,
        "other_staff": other_staff_user,
        "other_pcc": make_user(Role.PCC, "kent", "pcc-kent"),
    }


@pytest.fixture
def clients(people):
    made = {}
    for name, user in people.items():
        made[name] = Client()
        made[name].force_login(user)
    return made


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


def _url(action: str, assessment: Assessment) -> str:
    return reverse(URL_NAMES[action], args=[assessment.pk])


def _main(answer) -> str:
    html = answer.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _status(assessment: Assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


def _unanswer(assessment: Assessment, refs: list[str] | None = None) -> None:
    """Undo answer_all (which the builders run on every draft) for `refs`, or for every requirement."""
    responses = assessment.responses.all()
    if refs is not None:
        responses = responses.filter(requirement__ref__in=refs)
    responses.update(judgement=assessment.edition.judgement_levels.get(code="not_yet_assessed"), narrative="")


def _raise(people, assessment, ref: str | None = REF, text="Where is the evidence of the exercise?"):
    response = assessment.responses.get(requirement__ref=ref) if ref else None
    return workflow.challenge_raise(user=people["pcc"], assessment=assessment, text=text, response=response)


# ----------------------------------------------------------------------------- buttons


@pytest.mark.parametrize("state", [S.DRAFT, S.SUBMITTED, S.RESPONDED, S.SIGNED_OFF, S.PUBLISHED])
def test_task_list_shows_the_state_and_only_the_buttons_the_user_may_use(clients, build, state):
    assessment = build(state)
    for role in ROLES:
        page = clients[role].get(reverse("assessments:detail", args=[assessment.pk]))
        assert page.status_code == 200
        html = _main(page)
        assert f">{assessment.get_status_display()}</strong>".replace("'", "&#x27;") in html
        allowed = ALLOWED.get((state, role), set())
        for action, button in BUTTONS.items():
            assert (button in html) == (action in allowed), (state, role, action)


def test_check_answers_shows_the_submit_form_only_to_staff_of_a_draft(clients, build):
    draft = build(S.DRAFT)
    page = _main(clients["staff"].get(reverse("assessments:check", args=[draft.pk])))
    assert f'action="{reverse("assessments:submit", args=[draft.pk])}"' in page
    assert "Share with HMIC before publication" in page
    for role in ("chief", "pcc", "admin"):
        page = _main(clients[role].get(reverse("assessments:check", args=[draft.pk])))
        assert "Submit to the chief constable" not in page and "<form" not in page


# ----------------------------------------------------------------------------- transitions


@pytest.mark.parametrize(
    ("action", "state", "role", "target"),
    [
        ("return", S.SUBMITTED, "pcc", S.DRAFT),
        ("return", S.RESPONDED, "chief", S.DRAFT),
        ("respond", S.SUBMITTED, "chief", S.RESPONDED),
        ("sign_off", S.RESPONDED, "pcc", S.SIGNED_OFF),
        ("publish", S.SIGNED_OFF, "pcc", S.PUBLISHED),
    ],
)
def test_allowed_transitions_move_the_state_and_say_so(clients, build, action, state, role, target):
    assessment = build(state)
    client = clients[role]
    form_page = client.get(_url(action, assessment))
    assert form_page.status_code == 200
    heading = ACTION_PAGES[action].heading.replace("'", "&#x27;")
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in form_page.content.decode()

    answer = client.post(_url(action, assessment), DATA[action])

    assert answer.status_code == 302 and answer.url == reverse("assessments:detail", args=[assessment.pk])
    assert _status(assessment) == target
    page = client.get(answer.url).content.decode()
    assert "govuk-notification-banner--success" in page


def test_staff_submit_from_check_answers_and_may_share_with_hmic(clients, build, people):
    draft = build(S.DRAFT)
    answer_all(draft, people["staff"])

    answer = clients["staff"].post(reverse("assessments:submit", args=[draft.pk]), {"share_with_hmic": "on"})

    assert answer.status_code == 302 and answer.url == reverse("assessments:detail", args=[draft.pk])
    draft.refresh_from_db()
    assert (draft.status, draft.share_with_hmic) == (S.SUBMITTED, True)
    assert "has been submitted to the chief constable" in clients["staff"].get(answer.url).content.decode()
    assert clients["inspector"].get(reverse("assessments:detail", args=[draft.pk])).status_code == 200


def test_submit_is_refused_listing_unanswered_requirements(clients, build, people):
    draft = build(S.DRAFT)
    _unanswer(draft, ["3.1(a)", "6.6"])

    answer = clients["staff"].post(reverse("assessments:submit", args=[draft.pk]), {})

    assert answer.status_code == 400
    html = answer.content.decode()
    assert "<title>Error: " in html
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert "Answer every requirement before submitting: 2 not completed" in summary
    for ref in ("3.1(a)", "6.6"):
        assert reverse("assessments:response", args=[draft.pk, ref]) in summary
    assert _status(draft) == S.DRAFT


def test_revise_starts_a_new_draft_and_links_the_versions(clients, build):
    published = build(S.PUBLISHED)
    assert clients["staff"].get(_url("revise", published)).status_code == 200

    answer = clients["staff"].post(_url("revise", published), {})

    revision = Assessment.objects.get(supersedes=published)
    assert answer.status_code == 302 and answer.url == reverse("assessments:detail", args=[revision.pk])
    assert (revision.status, revision.revision) == (S.DRAFT, 2)
    new_page = clients["staff"].get(answer.url).content.decode()
    assert reverse("assessments:detail", args=[published.pk]) in new_page and "previous published version" in new_page
    old_page = clients["staff"].get(reverse("assessments:detail", args=[published.pk])).content.decode()
    assert f'href="{reverse("assessments:detail", args=[revision.pk])}"' in old_page
    # HMIC cannot read the draft revision, so the published version does not point them to it.
    inspector_page = clients["inspector"].get(reverse("assessments:detail", args=[published.pk])).content.decode()
    assert f'href="{reverse("assessments:detail", args=[revision.pk])}"' not in inspector_page


@pytest.mark.parametrize(
    ("action", "state", "allowed"),
    [
        ("return", S.SUBMITTED, {"pcc", "chief"}),
        ("respond", S.SUBMITTED, {"chief"}),
        ("sign_off", S.RESPONDED, {"pcc"}),
        ("publish", S.SIGNED_OFF, {"pcc"}),
        ("revise", S.PUBLISHED, {"staff"}),
    ],
)
def test_other_roles_get_403_and_nothing_moves(clients, build, action, state, allowed):
    assessment = build(state)
    for role in [*ROLES, "inspector"]:
        if role in allowed:
            continue
        # HMIC do not see an assessment before publication (unless shared): a 404, as for another force.
        expected = 403 if role != "inspector" or state == S.PUBLISHED else 404
        assert clients[role].get(_url(action, assessment)).status_code == expected, role
        assert clients[role].post(_url(action, assessment), DATA[action]).status_code == expected, role
    assert _status(assessment) == state


def test_submit_by_other_roles_is_403(clients, build, people):
    draft = build(S.DRAFT)
    answer_all(draft, people["staff"])
    for role in ("chief", "pcc", "admin"):
        assert clients[role].post(reverse("assessments:submit", args=[draft.pk])).status_code == 403, role
    assert _status(draft) == S.DRAFT


@pytest.mark.parametrize(
    ("action", "state", "role", "message"),
    [
        ("sign_off", S.SUBMITTED, "pcc", "You cannot sign off: the assessment is submitted"),
        ("publish", S.RESPONDED, "pcc", "You cannot publish to hmic: the assessment is chief constable"),
        ("respond", S.RESPONDED, "chief", "You cannot give the chief constable&#x27;s response"),
        ("return", S.SIGNED_OFF, "pcc", "You cannot return for changes: the assessment is signed off"),
        ("revise", S.SIGNED_OFF, "staff", "You cannot start a revision: the assessment is signed off"),
    ],
)
def test_wrong_state_gets_the_409_page_with_the_reason(clients, build, action, state, role, message):
    assessment = build(state)
    for answer in (
        clients[role].get(_url(action, assessment)),
        clients[role].post(_url(action, assessment), DATA[action]),
    ):
        assert answer.status_code == 409
        page = answer.content.decode()
        assert "This cannot be done now" in page and message in page
    assert _status(assessment) == state


def test_submit_twice_is_409(clients, build):
    submitted = build(S.SUBMITTED)
    answer = clients["staff"].post(reverse("assessments:submit", args=[submitted.pk]))
    assert answer.status_code == 409 and "You cannot submit to the chief constable" in answer.content.decode()


def test_return_needs_a_reason(clients, build):
    submitted = build(S.SUBMITTED)

    answer = clients["pcc"].post(_url("return", submitted), {"note": "  "})

    assert answer.status_code == 400
    html = answer.content.decode()
    assert "<title>Error: " in html and "Enter the reason for returning the assessment" in html
    assert 'href="#id_note"' in html
    assert _status(submitted) == S.SUBMITTED


def test_statements_show_escaped_on_the_task_list_and_the_return_reason_on_a_draft(clients, build):
    submitted = build(S.SUBMITTED)
    clients["chief"].post(_url("respond", submitted), {"statement": "We meet it <script>alert(1)</script>"})
    page = clients["pcc"].get(reverse("assessments:detail", args=[submitted.pk])).content.decode()
    assert "Chief constable's statement" in page
    assert "We meet it &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page

    clients["pcc"].post(_url("return", submitted), {"note": "Add the <b>CBRN</b> exercise"})
    page = clients["staff"].get(reverse("assessments:detail", args=[submitted.pk])).content.decode()
    assert "Returned for changes" in page and "Add the &lt;b&gt;CBRN&lt;/b&gt; exercise" in page
    assert re.search(r"Returned for changes</strong> by pcc-home on \d+ \w+ \d{4}", page)


def test_sign_off_is_refused_listing_the_open_challenges_with_links(clients, build, people):
    responded = build(S.RESPONDED)
    on_response = _raise(people, responded)
    on_whole = _raise(people, responded, ref=None, text="Overall, is mutual aid tested?")

    answer = clients["pcc"].post(_url("sign_off", responded), {"statement": "My assurance statement"})

    assert answer.status_code == 409
    html = answer.content.decode()
    assert "<title>Error: " in html
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert "Close the 2 open challenges before signing off" in summary
    assert f"{reverse('assessments:response', args=[responded.pk, REF])}#challenge-{on_response.pk}" in summary
    assert f"{reverse('assessments:challenges', args=[responded.pk])}#challenge-{on_whole.pk}" in summary
    assert "My assurance statement" in html  # what the PCC typed is kept
    assert _status(responded) == S.RESPONDED


# ----------------------------------------------------------------------------- another force


def test_another_force_gets_404_on_every_workflow_page(clients, build, people):
    assessment = build(S.SUBMITTED)
    challenge = _raise(people, assessment)
    pk = assessment.pk
    urls = [
        reverse("assessments:submit", args=[pk]),
        *[reverse(name, args=[pk]) for name in URL_NAMES.values()],
        reverse("assessments:challenges", args=[pk]),
        reverse("assessments:response-challenge", args=[pk, REF]),
        reverse("assessments:challenge-reply", args=[pk, challenge.pk]),
        reverse("assessments:challenge-close", args=[pk, challenge.pk]),
        reverse("assessments:history", args=[pk]),
    ]
    for role in ("other_staff", "other_pcc"):
        for url in urls:
            assert clients[role].get(url).status_code in {404, 405}, (role, url)
            answer = clients[role].post(url, {"text": "x", "note": "x", "statement": "x"})
            assert answer.status_code in {404, 405}, url
    assert _status(assessment) == S.SUBMITTED and Challenge.objects.count() == 1
    assert not ChallengeReply.objects.exists()


# ----------------------------------------------------------------------------- challenges


def test_pcc_side_raise_a_challenge_on_a_response_and_it_shows_escaped(clients, build):
    submitted = build(S.SUBMITTED)
    url = reverse("assessments:response-challenge", args=[submitted.pk, REF])
    text = "Where is the <script>evidence</script>?"

    answer = clients["pcc"].post(url, {"challenge-text": text})

    challenge = Challenge.objects.get()
    assert answer.status_code == 302
    assert answer.url == f"{reverse('assessments:response', args=[submitted.pk, REF])}#challenge-{challenge.pk}"
    assert challenge.response.requirement.ref == REF and challenge.raised_by.username == "pcc-home"
    page = clients["chief"].get(reverse("assessments:response", args=[submitted.pk, REF])).content.decode()
    assert "Where is the &lt;script&gt;evidence&lt;/script&gt;?" in page and "<script>evidence" not in page
    assert ">Open</strong>" in page
    # Staff may raise one too, on the PCC's behalf.
    assert clients["staff"].post(url, {"challenge-text": "And the debrief?"}).status_code == 302
    assert Challenge.objects.count() == 2


def test_raising_needs_text_and_the_right_role_and_state(clients, build):
    submitted = build(S.SUBMITTED)
    url = reverse("assessments:response-challenge", args=[submitted.pk, REF])

    empty = clients["pcc"].post(url, {"challenge-text": " "})
    assert empty.status_code == 400 and "Enter the challenge" in empty.content.decode()
    assert "<title>Error: " in empty.content.decode()
    assert clients["chief"].post(url, {"challenge-text": "x"}).status_code == 403
    assert clients["admin"].post(url, {"challenge-text": "x"}).status_code == 403
    page = clients["chief"].get(reverse("assessments:response", args=[submitted.pk, REF])).content.decode()
    assert "Raise a challenge" not in page

    draft = build(S.DRAFT, period="2024/25")
    answer = clients["pcc"].post(
        reverse("assessments:response-challenge", args=[draft.pk, REF]), {"challenge-text": "x"}
    )
    assert answer.status_code == 409 and "only while the chief constable is answering" in answer.content.decode()
    assert Challenge.objects.count() == 0


def test_chief_replies_and_pcc_side_close_with_a_note(clients, build, people):
    submitted = build(S.SUBMITTED)
    challenge = _raise(people, submitted)
    response_url = reverse("assessments:response", args=[submitted.pk, REF])
    reply_url = reverse("assessments:challenge-reply", args=[submitted.pk, challenge.pk])
    close_url = reverse("assessments:challenge-close", args=[submitted.pk, challenge.pk])

    chief_page = clients["chief"].get(response_url).content.decode()
    assert f'action="{reply_url}"' in chief_page and f'action="{close_url}"' not in chief_page
    answer = clients["chief"].post(reply_url, {f"reply-{challenge.pk}-text": "See the debrief, page 4."})
    assert answer.status_code == 302 and answer.url == f"{response_url}#challenge-{challenge.pk}"
    assert clients["chief"].post(close_url, {}).status_code == 403

    pcc_page = clients["pcc"].get(response_url).content.decode()
    assert "See the debrief, page 4." in pcc_page and f'action="{close_url}"' in pcc_page
    empty = clients["pcc"].post(reply_url, {f"reply-{challenge.pk}-text": ""})
    assert empty.status_code == 400 and "Enter your reply" in empty.content.decode()
    answer = clients["pcc"].post(close_url, {f"close-{challenge.pk}-note": "Satisfied."})
    assert answer.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.status, challenge.closing_note, challenge.closed_by) == ("closed", "Satisfied.", people["pcc"])

    page = clients["chief"].get(response_url).content.decode()
    assert ">Closed</strong>" in page and "Satisfied." in page and f'action="{reply_url}"' not in page
    assert clients["chief"].post(reply_url, {f"reply-{challenge.pk}-text": "More"}).status_code == 409
    assert clients["pcc"].post(close_url, {}).status_code == 409
    assert ChallengeReply.objects.count() == 1


def test_inspector_reading_a_shared_assessment_may_not_reply(clients, build, people):
    submitted = build(S.SUBMITTED)
    Assessment.objects.filter(pk=submitted.pk).update(share_with_hmic=True)
    challenge = _raise(people, submitted)
    reply_url = reverse("assessments:challenge-reply", args=[submitted.pk, challenge.pk])
    assert clients["inspector"].post(reply_url, {f"reply-{challenge.pk}-text": "x"}).status_code == 403
    page = clients["inspector"].get(reverse("assessments:challenges", args=[submitted.pk]))
    assert page.status_code == 200 and "<form" not in _main(page)


def test_challenges_page_lists_every_challenge_and_raises_one_on_the_whole_assessment(clients, build, people):
    responded = build(S.RESPONDED)
    _raise(people, responded)
    url = reverse("assessments:challenges", args=[responded.pk])

    answer = clients["pcc"].post(url, {"challenge-text": "Is the plan funded?"})

    whole = Challenge.objects.get(response=None)
    assert answer.status_code == 302 and answer.url == f"{url}#challenge-{whole.pk}"
    page = clients["chief"].get(url).content.decode()
    assert "2 challenges, 2 open" in page and "Is the plan funded?" in page
    assert reverse("assessments:response", args=[responded.pk, REF]) in page
    assert "Challenge the whole assessment" not in page  # the chief constable raises none
    assert clients["pcc"].post(url, {"challenge-text": ""}).status_code == 400


# ----------------------------------------------------------------------------- published


def test_published_pages_have_no_forms_and_show_the_banner(clients, build, people):
    published = build(S.PUBLISHED)
    snapshot = Snapshot.objects.get(assessment=published)
    pk = published.pk
    urls = [
        reverse("assessments:detail", args=[pk]),
        reverse("assessments:check", args=[pk]),
        reverse("assessments:response", args=[pk, REF]),
        reverse("assessments:challenges", args=[pk]),
        reverse("assessments:history", args=[pk]),
        reverse("assessments:departures", args=[pk]),
        reverse("assessments:actions", args=[pk]),
    ]
    for role in ("staff", "chief", "pcc", "inspector"):
        for url in urls:
            answer = clients[role].get(url)
            assert answer.status_code == 200, (role, url)
            # Asking for the PDF report changes nothing; no other form may be there.
            main = re.sub(r'<form method="post" action="/reports/new/".*?</form>', "", _main(answer), flags=re.S)
            assert "<form" not in main, (role, url)
    page = clients["inspector"].get(urls[0]).content.decode()
    name = people["pcc"].get_full_name() or people["pcc"].username
    assert re.search(rf"Published on \d+ \w+ \d{{4}} by {name}\. This version cannot change\.", page)
    assert snapshot.sha256 in page


def test_posts_to_a_published_assessment_answer_409(clients, build, people):
    published = build(S.PUBLISHED)
    pk = published.pk
    response = published.responses.get(requirement__ref=REF)
    posts = [
        ("staff", reverse("assessments:response", args=[pk, REF]), {"judgement": "assured", "version": 2}),
        ("staff", reverse("assessments:departure-create", args=[pk]), {}),
        ("staff", reverse("assessments:action-create", args=[pk]), {}),
        ("staff", reverse("assessments:submit", args=[pk]), {}),
        ("chief", _url("respond", published), DATA["respond"]),
        ("pcc", _url("return", published), DATA["return"]),
        ("pcc", _url("sign_off", published), DATA["sign_off"]),
        ("pcc", _url("publish", published), {}),
        ("pcc", reverse("assessments:challenges", args=[pk]), {"challenge-text": "x"}),
        ("pcc", reverse("assessments:response-challenge", args=[pk, REF]), {"challenge-text": "x"}),
    ]
    for role, url, data in posts:
        answer = clients[role].post(url, data)
        assert answer.status_code == 409, (role, url)
        assert "This cannot be done now" in answer.content.decode()
    assert "Start a revision to change it" in clients["staff"].post(posts[0][1], posts[0][2]).content.decode()
    assert _status(published) == S.PUBLISHED and not Challenge.objects.exists()
    assert Assessment.objects.get(pk=pk).responses.get(pk=response.pk).version == response.version


# ----------------------------------------------------------------------------- history


def test_history_shows_who_when_and_what_after_an_edit(clients, build, people):
    draft = build(S.DRAFT)
    response = draft.responses.get(requirement__ref=REF)
    services.response_update(
        user=people["staff"],
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(judgement="not_assured", narrative="A <b>long</b> narrative. " + "x" * 400),
    )
    workflow.assessment_submit(user=people["staff"], assessment=draft)
    workflow.assessment_return(user=people["chief"], assessment=draft, note="Say more about <i>3.2</i>")

    page = clients["pcc"].get(reverse("assessments:history", args=[draft.pk])).content.decode()

    assert "Moved from Draft to Submitted" in page and "Moved from Submitted to Draft" in page
    assert "Say more about &lt;i&gt;3.2&lt;/i&gt;" in page
    assert "staff-home" in page and "chief-home" in page
    assert f"Response: {draft} — {REF}" in page
    assert re.search(r"<strong>Judgement</strong>: [\w ]+ → Not assured", page)
    assert "A &lt;b&gt;long&lt;/b&gt; narrative." in page and "<b>long</b>" not in page
    assert "x" * 200 not in page  # narratives are shortened
    # The response page keeps its own change history.
    response_page = clients["pcc"].get(reverse("assessments:response", args=[draft.pk, REF])).content.decode()
    assert "Change history" in response_page and "to Not assured" in response_page


def test_history_is_404_to_another_force_and_to_hmic_before_publication(clients, build):
    draft = build(S.DRAFT)
    url = reverse("assessments:history", args=[draft.pk])
    assert clients["other_staff"].get(url).status_code == 404
    assert clients["other_pcc"].get(url).status_code == 404
    assert clients["inspector"].get(url).status_code == 404
    assert clients["chief"].get(url).status_code == 200


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _busy(build, people, period: str, size: int) -> Assessment:
    """An assessment taken round the workflow `size` times with `size` challenges and replies, so its
    history holds well over a page of audit entries."""
    assessment = build(S.DRAFT, period=period)
    answer_all(assessment, people["staff"], through_services=True)
    for _ in range(size):
        workflow.assessment_submit(user=people["staff"], assessment=assessment)
        challenge = _raise(people, assessment)
        workflow.challenge_reply(user=people["chief"], challenge=challenge, text="Reply")
        workflow.challenge_close(user=people["pcc"], challenge=challenge, note="Fine")
        workflow.assessment_return(user=people["pcc"], assessment=assessment, note="Again")
    return assessment


def test_history_runs_a_constant_number_of_queries(clients, build, people, django_assert_max_num_queries):
    small = _busy(build, people, "2024/25", 1)
    large = _busy(build, people, "2025/26", 6)
    small_count = _count(clients["pcc"], reverse("assessments:history", args=[small.pk]))
    with django_assert_max_num_queries(12):
        page = clients["pcc"].get(reverse("assessments:history", args=[large.pk]))
    assert "govuk-pagination" in page.content.decode()
    # No more than the small one's (which reads the judgement scale's labels for the judgement changes
    # on its one page; a page of the large one's holding only workflow entries does not need them).
    assert _count(clients["pcc"], reverse("assessments:history", args=[large.pk])) <= small_count
    assert _count(clients["pcc"], reverse("assessments:history", args=[large.pk]) + "?page=2") <= small_count


# ----------------------------------------------------------------------------- waiting for you


def _waiting(client) -> str:
    html = client.get(reverse("home")).content.decode()
    start = html.index('id="waiting"')
    return html[start : html.index("Where to start", start)]


def test_waiting_for_staff_drafts_to_finish_submit_and_returned(clients, build, people):
    draft = build(S.DRAFT, period="2023/24")
    _unanswer(draft)
    ready = build(S.DRAFT, period="2024/25")
    returned = build(S.SUBMITTED, period="2025/26")
    workflow.assessment_return(user=people["pcc"], assessment=returned, note="Add the CBRN evidence")

    waiting = _waiting(clients["staff"])

    assert f'href="{reverse("assessments:detail", args=[draft.pk])}">Finish the self-assessment' in waiting
    assert "0 of 38 requirements completed" in waiting
    assert f'href="{reverse("assessments:check", args=[ready.pk])}">Check your answers and submit' in waiting
    assert f'href="{reverse("assessments:detail", args=[returned.pk])}">Make the changes asked for' in waiting
    assert "Add the CBRN evidence" in waiting
    assert "Nothing is waiting for you" in _waiting(clients["other_staff"])


def test_waiting_for_the_chief_constable_and_the_pcc(clients, build, people):
    submitted = build(S.SUBMITTED, period="2023/24")
    responded = build(S.RESPONDED, period="2024/25")
    signed_off = build(S.SIGNED_OFF, period="2025/26")
    challenge = _raise(people, submitted)

    chief = _waiting(clients["chief"])
    assert f'href="{reverse("assessments:respond", args=[submitted.pk])}">Give the chief constable' in chief
    challenge_href = f"{reverse('assessments:response', args=[submitted.pk, REF])}#challenge-{challenge.pk}"
    assert f'href="{challenge_href}">Reply to the challenge on requirement {REF}' in chief
    pcc = _waiting(clients["pcc"])
    assert f'href="{reverse("assessments:sign-off", args=[responded.pk])}">Consider the chief' in pcc
    assert f'href="{reverse("assessments:publish", args=[signed_off.pk])}">Publish to HMIC' in pcc
    assert "Consider the chief constable&#x27;s reply" not in pcc

    workflow.challenge_reply(user=people["chief"], challenge=challenge, text="See page 4.")

    assert challenge_href not in _waiting(clients["chief"])
    assert f'href="{challenge_href}">Consider the chief constable&#x27;s reply on requirement {REF}' in _waiting(
        clients["pcc"]
    )
    assert "Nothing is waiting for you" in _waiting(clients["other_pcc"])


def test_waiting_for_hmic_recently_published(clients, build):
    published = build(S.PUBLISHED)
    build(S.SIGNED_OFF, period="2024/25")
    waiting = _waiting(clients["inspector"])
    assert f'href="{reverse("assessments:detail", args=[published.pk])}">Read the published assessment' in waiting
    assert waiting.count("<li") == 1


@pytest.mark.parametrize("role", ["staff", "chief", "pcc", "inspector"])
def test_home_runs_a_constant_number_of_queries(clients, build, people, role, django_assert_max_num_queries):
    years = iter(range(2010, 2030))

    def fill(size: int) -> None:
        """`size` assessments in each state, each submitted one with a replied and an unreplied challenge."""
        for _ in range(size):
            for state in (S.DRAFT, S.SUBMITTED, S.RESPONDED, S.SIGNED_OFF, S.PUBLISHED):
                year = next(years)
                assessment = build(state, period=f"{year}/{(year + 1) % 100:02d}")
                if state == S.SUBMITTED:
                    challenge = _raise(people, assessment)
                    workflow.challenge_reply(user=people["chief"], challenge=challenge, text="Reply")
                    _raise(people, assessment, ref="6.6")

    fill(1)
    small = _count(clients[role], reverse("home"))
    fill(2)
    # 9, the HMIC workspace's requests and findings waiting for the force's answering staff (2), and
    # the collaboration agreements waiting for the force's confirmation (1).
    with django_assert_max_num_queries(12):
        assert clients[role].get(reverse("home")).status_code == 200
    assert _count(clients[role], reverse("home")) == small
