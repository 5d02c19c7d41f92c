"""Start from last year across an edition change: answers, evidence, open actions and live
departures go through the new edition's mapping; judgements only where it means the same; new
requirements start blank. And each period uses the edition in force on its first day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from assessments import services
from assessments.models import Action, ActionStatus, Departure, DepartureStatus
from assessments.records import ResponseAnswer
from assessments.selectors import new_requirements_of
from core.audit import audit_verify
from core.roles import Role
from tests.capabilities.editions_support import publish_fixture_edition, publish_second_fixture_edition
from tests.factories import make_assessment, make_link_evidence


@pytest.fixture
def home(forces):
    return forces["dyfed-powys"]


@pytest.fixture
def staff(make_user):
    return make_user(Role.PCC_STAFF, "dyfed-powys")


@pytest.fixture
def new_edition(spr2012, make_user):
    return publish_fixture_edition(make_user(Role.NATIONAL_ADMIN))


def _answer(user, assessment, ref, judgement, narrative, evidence_ids=None):
    response = assessment.responses.get(requirement__ref=ref)
    return services.response_update(
        user=user,
        response=response,
        expected_version=response.version,
        answer=ResponseAnswer(judgement=judgement, narrative=narrative, evidence_ids=evidence_ids),
    )


def _action(user, assessment, ref):
    services.action_save(
        user=user,
        assessment=assessment,
        requirement=assessment.responses.get(requirement__ref=ref).requirement,
        gap=f"Gap in {ref}",
        description="Train 10",
        owner="ACC Operations",
        due_date=dt.date(2026, 12, 1),
        status=ActionStatus.OPEN,
    )


def test_each_period_uses_the_edition_in_force_on_its_first_day(new_edition, spr2012, staff, home):
    before = make_assessment(user=staff, force=home, edition=None, period="2025/26")
    after = make_assessment(user=staff, force=home, edition=None, period="2026/27")

    assert before.edition == spr2012
    assert after.edition == new_edition
    assert after.responses.count() == 38


def test_a_draft_edition_cannot_be_assessed(spr2012, staff, home, make_user):
    from capabilities.editions.drafts import edition_upload
    from tests.capabilities.editions_support import fixture_bytes

    draft = edition_upload(user=make_user(Role.NATIONAL_ADMIN), name="spr-fixture.yaml", content=fixture_bytes())
    with pytest.raises(ValidationError, match="Select a published SPR edition"):
        make_assessment(user=staff, force=home, edition=draft, period="2026/27")


def test_start_from_last_year_across_the_edition_change(new_edition, spr2012, staff, home):
    last_year = make_assessment(user=staff, force=home, edition=spr2012, period="2025/26")
    plan = make_link_evidence(user=staff, force=home, title="Mobilisation plan")
    _answer(staff, last_year, "3.1(a)", "assured", "Roles agreed with the PCC")
    _answer(staff, last_year, "3.2(c)", "partially_assured", "Mutual aid tested")
    _answer(staff, last_year, "4.1(a)", "assured", "Threat assessment done")
    _answer(staff, last_year, "4.1(b)", "assured", "Intelligence shared regionally")
    _answer(staff, last_year, "6.4", "not_assured", "Mobilisation plan out of date", [plan.id])
    _answer(staff, last_year, "6.6", "assured", "Information shared")
    _action(staff, last_year, "4.1(b)")
    _action(staff, last_year, "6.6")
    services.departure_save(
        user=staff,
        assessment=last_year,
        requirement=last_year.responses.get(requirement__ref="6.4").requirement,
        departing_party="chief_constable",
        circumstances="c",
        reasons="r",
        alternative_arrangements="a",
        residual_risk="low",
        review_date=dt.date(2027, 3, 31),
        status=DepartureStatus.LIVE,
        evidence_ids=[plan.id],
    )

    draft = make_assessment(
        user=staff, force=home, edition=None, period="2026/27", start_from_previous=True, keep_judgements=True
    )

    assert draft.edition == new_edition
    assert draft.started_from == last_year
    answers = {r.requirement.ref: r for r in draft.responses.select_related("requirement", "judgement")}
    # Reworded, same meaning: narrative and judgement carried.
    assert answers["3.1(a)"].narrative == "Roles agreed with the PCC"
    assert answers["3.1(a)"].judgement.code == "assured"
    assert answers["3.2(c)"].judgement.code == "partially_assured"
    # Merged, meaning changed: both narratives, no judgement.
    assert answers["4.1(a)"].narrative == "Threat assessment done\n\nIntelligence shared regionally"
    assert answers["4.1(a)"].judgement.code == "not_yet_assessed"
    # Split: each part has the narrative and the evidence, not the judgement.
    for ref in ("6.4(a)", "6.4(b)"):
        assert answers[ref].narrative == "Mobilisation plan out of date"
        assert list(answers[ref].evidence.all()) == [plan]
        assert answers[ref].judgement.code == "not_yet_assessed"
    # New: blank, and listed as needing a first answer.
    assert answers["6.7"].narrative == ""
    assert [r.ref for r in new_requirements_of(assessment=draft)] == ["6.7"]
    # Open actions follow the mapping; the retired requirement's action does not.
    assert list(Action.objects.filter(assessment=draft).values_list("requirement__ref", flat=True)) == ["4.1(a)"]
    departure = Departure.objects.get(assessment=draft)
    assert departure.requirement.ref == "6.4(a)" and list(departure.evidence.all()) == [plan]
    assert audit_verify().first_broken_id is None


def test_same_edition_start_lists_nothing_new(spr2012, staff, home):
    last_year = make_assessment(user=staff, force=home, edition=spr2012, period="2024/25")
    draft = make_assessment(user=staff, force=home, edition=spr2012, period="2025/26", start_from_previous=True)
    assert draft.started_from == last_year
    assert not new_requirements_of(assessment=draft)


def test_task_list_shows_what_is_new_in_the_edition(new_edition, spr2012, staff, home, client):
    make_assessment(user=staff, force=home, edition=spr2012, period="2025/26")
    client.force_login(staff)

    response = client.post(
        "/assessments/new/", {"period": "2026/27", "edition": "", "start_from_previous": "on"}, follow=True
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert new_edition.title in page
    assert "New in this edition" in page
    assert "1 requirement is new since The Strategic Policing Requirement (July 2012) and needs a first answer" in page
    assert ">6.7</a>" in page


# --- Across two edition changes (spr-2012 -> spr-fixture -> spr-fixture-2) ----------------------------


@pytest.fixture
def second_edition(new_edition, make_user):
    return publish_second_fixture_edition(make_user(Role.NATIONAL_ADMIN))


def test_start_from_last_year_across_the_second_edition_change(second_edition, new_edition, staff, home):
    last_year = make_assessment(user=staff, force=home, edition=new_edition, period="2026/27")
    plan = make_link_evidence(user=staff, force=home, title="Surveillance authority log")
    _answer(staff, last_year, "3.1(b)", "assured", "Contribution agreed with the region")
    _answer(staff, last_year, "5.1(c)", "assured", "Surveillance to national standard", [plan.id])
    _answer(staff, last_year, "5.1(d)", "partially_assured", "Technical surveillance shared with the ROCU")
    _answer(staff, last_year, "3.4", "assured", "Category 1 duties known")
    _action(staff, last_year, "5.1(d)")
    _action(staff, last_year, "3.4")

    draft = make_assessment(
        user=staff, force=home, edition=None, period="2027/28", start_from_previous=True, keep_judgements=True
    )

    assert draft.edition == second_edition
    assert draft.started_from == last_year
    answers = {r.requirement.ref: r for r in draft.responses.select_related("requirement", "judgement")}
    assert len(answers) == 37
    # Reworded in the second edition, same meaning: carried with its judgement.
    assert answers["3.1(b)"].narrative == "Contribution agreed with the region"
    assert answers["3.1(b)"].judgement.code == "assured"
    # Merged in the second edition: both narratives and the evidence, no judgement.
    merged = answers["5.1(c)"]
    assert merged.narrative == "Surveillance to national standard\n\nTechnical surveillance shared with the ROCU"
    assert list(merged.evidence.all()) == [plan]
    assert merged.judgement.code == "not_yet_assessed"
    # New in the second edition: blank, and the only one listed as new.
    assert answers["6.8"].narrative == ""
    assert [r.ref for r in new_requirements_of(assessment=draft)] == ["6.8"]
    # The action on a merged requirement follows it; the retired requirement's does not.
    assert list(Action.objects.filter(assessment=draft).values_list("requirement__ref", flat=True)) == ["5.1(c)"]


def test_task_list_after_a_skipped_edition_says_new_since_the_edition_last_answered(
    second_edition, spr2012, staff, home, client
):
    make_assessment(user=staff, force=home, edition=spr2012, period="2026/27")
    draft = make_assessment(user=staff, force=home, edition=second_edition, period="2027/28")
    client.force_login(staff)

    page = " ".join(client.get(f"/assessments/{draft.pk}/").content.decode().split())

    assert "2 requirements are new since The Strategic Policing Requirement (July 2012) and need a first answer" in page
    assert ">6.7</a>" in page and ">6.8</a>" in page


def test_start_from_two_editions_back_goes_through_both_mappings(second_edition, spr2012, staff, home):
    """A force that skipped the middle edition: its 2026/27 assessment was against spr-2012."""
    last_year = make_assessment(user=staff, force=home, edition=spr2012, period="2026/27")
    _answer(staff, last_year, "3.1(a)", "assured", "Roles agreed with the PCC")  # reworded at the first change
    _answer(staff, last_year, "3.1(b)", "partially_assured", "Contribution in discussion")  # at the second
    _answer(staff, last_year, "4.1(b)", "assured", "Intelligence shared regionally")  # merged at the first
    _answer(staff, last_year, "5.1(d)", "assured", "Technical surveillance shared")  # merged at the second

    draft = make_assessment(
        user=staff, force=home, edition=second_edition, period="2027/28", start_from_previous=True,
        keep_judgements=True,
    )  # fmt: skip

    assert draft.started_from == last_year
    answers = {r.requirement.ref: r for r in draft.responses.select_related("requirement", "judgement")}
    # Same meaning at both changes: judgement carried.
    assert (answers["3.1(a)"].narrative, answers["3.1(a)"].judgement.code) == ("Roles agreed with the PCC", "assured")
    assert answers["3.1(b)"].judgement.code == "partially_assured"
    # A merge at either change: the words carry, the judgement does not.
    assert (answers["4.1(a)"].narrative, answers["4.1(a)"].judgement.code) == (
        "Intelligence shared regionally",
        "not_yet_assessed",
    )
    assert (answers["5.1(c)"].narrative, answers["5.1(c)"].judgement.code) == (
        "Technical surveillance shared",
        "not_yet_assessed",
    )
    # New to this force: what came in at either change (6.7 at the first, which it skipped; 6.8 at the
    # second), new since the edition it last answered.
    new = new_requirements_of(assessment=draft)
    assert [r.ref for r in new] == ["6.7", "6.8"]
    assert new.since == spr2012
