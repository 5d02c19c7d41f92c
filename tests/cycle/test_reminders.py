"""Reminders and weekly digests: the clock moves across the 2026/27 deadlines and each day's run is
held to exactly the e-mails it sends, and to whom; running a day again sends nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentStatus
from core.roles import Role
from cycle.models import Reminder, ReminderKind
from cycle.reminders import _claim, reminders_send
from cycle.services import period_deadlines_save
from people.models import Profile
from people.services import person_name_set
from tests.factories import make_assessment, make_link_evidence
from tests.workflow_support import advance

D = dt.date
WM = "West Midlands Police’s SPR self-assessment for 2026/27"


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(_at(D(2027, 1, 1)), tick=False) as traveller:
        yield traveller


@pytest.fixture
def cycle_world(clock, forces, spr2012, national_admin_user, staff_user, chief_user, pcc_user, make_user):
    """West Midlands: a draft for 2026/27 with an action, a departure and a piece of evidence; Kent:
    one member of staff who chose the weekly digest only and has not started an assessment."""
    period_deadlines_save(
        user=national_admin_user,
        period="2026/27",
        submit_by=D(2027, 1, 31),
        respond_by=D(2027, 2, 28),
        sign_off_by=D(2027, 3, 15),
        publish_by=D(2027, 3, 31),
    )
    person_name_set(staff_user, name="Sam Patel", job_title="Policy officer")
    draft = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")
    requirement = draft.responses.select_related("requirement").first().requirement
    services.action_save(
        user=staff_user,
        assessment=draft,
        requirement=requirement,
        gap="No tested mutual aid plan",
        description="Test the mutual aid plan",
        owner="ACC Operations",
        due_date=D(2027, 2, 14),
    )
    services.departure_save(
        user=staff_user,
        assessment=draft,
        requirement=requirement,
        departing_party="chief_constable",
        circumstances="c",
        reasons="r",
        alternative_arrangements="a",
        residual_risk="low",
        review_date=D(2027, 2, 10),
    )
    make_link_evidence(user=staff_user, force=forces["west-midlands"], title="CONTEST plan", review_by=D(2027, 1, 20))
    kent = make_user(Role.PCC_STAFF, "kent", "kent-staff")
    Profile.objects.update_or_create(user=kent, defaults={"digest_only": True})
    mail.outbox.clear()
    return {"draft": draft, "staff": staff_user, "chief": chief_user, "pcc": pcc_user, "kent": kent}


def _run(clock, day: dt.date) -> list[tuple[str, str]]:
    """Run the day's job; answer (recipient, subject) of every e-mail it sent, sorted."""
    clock.move_to(_at(day))
    mail.outbox.clear()
    reminders_send()
    return sorted((message.to[0], message.subject) for message in mail.outbox)


@pytest.mark.django_db
def test_reminders_across_the_period_go_to_exactly_the_people_who_must_act(clock, cycle_world):
    staff, chief, kent = cycle_world["staff"].email, cycle_world["chief"].email, cycle_world["kent"].email
    evidence = "Late: Review the evidence “CONTEST plan” (West Midlands Police)"

    # Friday 22 January: only the evidence is past its review date (20 January). Submission is 9 days
    # away, the departure's review 19 and the action 23: nothing else yet. Kent's staff want the
    # digest only.
    assert _run(clock, D(2027, 1, 22)) == [(staff, evidence)]
    assert _run(clock, D(2027, 1, 22)) == []  # the same day again: nothing more

    # Sunday 24 January: submission is 7 days away; the evidence was reminded 2 days ago.
    assert _run(clock, D(2027, 1, 24)) == [(staff, f"Reminder: Submit {WM} to the chief constable")]

    # Monday 25 January: nothing new one by one, and Monday's digests: the submission due within 14
    # days and the evidence past its review for the staff, the assessment not started for Kent's.
    assert _run(clock, D(2027, 1, 25)) == [
        (staff, "Your SPR week: 2 things waiting for you"),
        (kent, "Your SPR week: 1 thing waiting for you"),
    ]

    # Wednesday 27 January: the departure's review is 14 days away.
    assert _run(clock, D(2027, 1, 27)) == [
        (staff, "Reminder: Review the departure from requirement 3.1(a) (West Midlands Police 2026/27)")
    ]

    # Friday 29 January: a week since the evidence reminder, and it is still past its review date.
    assert _run(clock, D(2027, 1, 29)) == [(staff, evidence)]

    # Monday 1 February: submission is late; the action is due in 13 days; and Monday's digests go to
    # everyone with something open (Kent's staff too: their force has not started its assessment).
    monday = _run(clock, D(2027, 2, 1))
    assert monday == sorted(
        [
            (staff, f"Late: Submit {WM} to the chief constable"),
            (staff, "Reminder: Action on requirement 3.1(a) (West Midlands Police 2026/27): Test the mutual aid plan"),
            (staff, "Your SPR week: 4 things waiting for you"),
            (kent, "Your SPR week: 1 thing waiting for you"),
        ]
    )
    assert _run(clock, D(2027, 2, 1)) == []

    # The force submits on 2 February; on Sunday 21 February the chief constable's response is due
    # in 7 days, and the action (due 14 February) and the departure's review (10 February) are late.
    clock.move_to(_at(D(2027, 2, 2)))
    advance(
        cycle_world["draft"],
        AssessmentStatus.SUBMITTED,
        staff=cycle_world["staff"],
        chief=cycle_world["chief"],
        pcc=cycle_world["pcc"],
    )
    assert _run(clock, D(2027, 2, 21)) == sorted(
        [
            (chief, f"Reminder: Give the chief constable’s response to {WM}"),
            (staff, "Late: Action on requirement 3.1(a) (West Midlands Police 2026/27): Test the mutual aid plan"),
            (staff, "Late: Review the departure from requirement 3.1(a) (West Midlands Police 2026/27)"),
            (staff, evidence),
        ]
    )
    assert _run(clock, D(2027, 2, 21)) == []
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_the_digest_lists_each_persons_open_items_with_links(clock, cycle_world, settings):
    clock.move_to(_at(D(2027, 2, 1)))
    reminders_send()
    digest = next(
        m for m in mail.outbox if m.subject.startswith("Your SPR week") and m.to == [cycle_world["staff"].email]
    )
    assert digest.body.startswith("Hello Sam Patel, Policy officer,")
    assert f"Submit {WM} to the chief constable" in digest.body
    assert "Late: it was due by 31 January 2027" in digest.body
    assert f"{settings.SITE_URL}/assessments/{cycle_world['draft'].pk}/" in digest.body
    html = digest.alternatives[0][0]
    assert f'href="{settings.SITE_URL}{reverse("people:me")}"' in html
    # Late first.
    assert digest.body.index("Late: it was due") < digest.body.index("Due by 14 February 2027")


@pytest.mark.django_db
def test_a_missed_monday_sends_the_digests_on_the_next_run_that_week_once(clock, cycle_world):
    """The beat job did not run on Monday 1 February 2027 (a deploy, the worker down): Tuesday's run
    sends the week's digests, Wednesday's sends none again, and the next Monday's sends the next. A
    week whose Monday and two days after were all missed waits for the next Monday (Friday 12
    February's run sends no digest)."""
    clock.move_to(_at(D(2027, 2, 2)))
    tuesday = reminders_send()
    to_staff = [
        m for m in mail.outbox if m.subject.startswith("Your SPR week") and m.to == [cycle_world["staff"].email]
    ]
    assert tuesday.digests >= 1 and len(to_staff) == 1
    mail.outbox = []

    clock.move_to(_at(D(2027, 2, 3)))
    assert reminders_send().digests == 0
    assert not [m for m in mail.outbox if m.subject.startswith("Your SPR week")]

    clock.move_to(_at(D(2027, 2, 8)))
    assert reminders_send().digests == tuesday.digests

    clock.move_to(_at(D(2027, 2, 19)))  # a Friday, nothing sent that week
    assert reminders_send().digests == 0


@pytest.mark.django_db
def test_after_mondays_digests_the_rest_of_the_week_sends_none(clock, cycle_world):
    clock.move_to(_at(D(2027, 2, 1)))
    assert reminders_send().digests >= 1
    mail.outbox = []
    clock.move_to(_at(D(2027, 2, 2)))
    assert reminders_send().digests == 0
    assert not [m for m in mail.outbox if m.subject.startswith("Your SPR week")]


@pytest.mark.django_db
def test_a_failed_send_releases_its_claim_so_the_next_run_sends_it(clock, cycle_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nothing listens on 9
    clock.move_to(_at(D(2027, 1, 22)))
    report = reminders_send()
    assert report.failed == 1 and report.sent == 0
    assert not Reminder.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    assert reminders_send().sent == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claim_is_taken_once_per_thing_person_and_day(cycle_world):
    first = _claim(
        kind=ReminderKind.ACTION_DUE,
        subject="action:1:2027-02-14",
        recipient=cycle_world["staff"],
        day=D(2027, 2, 1),
        force_id=None,
    )
    second = _claim(
        kind=ReminderKind.ACTION_DUE,
        subject="action:1:2027-02-14",
        recipient=cycle_world["staff"],
        day=D(2027, 2, 1),
        force_id=None,
    )
    assert first is not None and second is None
    assert Reminder.objects.count() == 1


@pytest.mark.django_db
def test_digest_only_is_chosen_on_ones_own_details_page(clock, staff_user, staff_client):
    url = reverse("people:me")
    page = staff_client.get(url).content.decode()
    assert 'name="digest_only"' in page
    response = staff_client.post(url, {"name": "Sam Patel", "job_title": "Policy officer", "digest_only": "on"})
    assert response.status_code == 302
    assert Profile.objects.get(user=staff_user).digest_only is True
    assert "checked" in staff_client.get(url).content.decode().split('name="digest_only"')[1][:80]
    staff_client.post(url, {"name": "Sam Patel", "job_title": "Policy officer"})
    assert Profile.objects.get(user=staff_user).digest_only is False


@pytest.mark.django_db
def test_each_persons_digest_holds_only_their_forces_items(clock, cycle_world):
    clock.move_to(_at(D(2027, 2, 1)))
    reminders_send()
    kent = next(m for m in mail.outbox if m.to == [cycle_world["kent"].email])
    assert "Kent Police’s SPR self-assessment for 2026/27" in kent.body
    assert "West Midlands" not in kent.body
    assert [m.to for m in mail.outbox if "Kent" in m.body] == [[cycle_world["kent"].email]]


@pytest.mark.django_db
def test_a_changed_deadline_is_reminded_afresh(clock, cycle_world, national_admin_user):
    subject = f"Reminder: Submit {WM} to the chief constable"
    assert subject in [s for _to, s in _run(clock, D(2027, 1, 24))]
    assert subject not in [s for _to, s in _run(clock, D(2027, 1, 25))]
    period_deadlines_save(
        user=national_admin_user,
        period="2026/27",
        submit_by=D(2027, 1, 28),  # brought forward
        respond_by=D(2027, 2, 28),
        sign_off_by=D(2027, 3, 15),
        publish_by=D(2027, 3, 31),
    )
    assert subject in [s for _to, s in _run(clock, D(2027, 1, 26))]


@pytest.mark.django_db
def test_a_claim_whose_worker_died_before_sending_is_sent_the_next_day(clock, cycle_world):
    # A worker claimed the reminder on 24 January and died before sending it (no sent_at).
    subject = f"Reminder: Submit {WM} to the chief constable"
    draft = cycle_world["draft"]
    _claim(
        kind=ReminderKind.STEP_DUE,
        subject=f"assessment:{draft.pk}:submit:2027-01-31",
        recipient=cycle_world["staff"],
        day=D(2027, 1, 24),
        force_id=draft.force_id,
    )
    assert subject not in [s for _to, s in _run(clock, D(2027, 1, 24))]  # the claim holds that day
    assert subject in [s for _to, s in _run(clock, D(2027, 1, 25))]  # and is made good the next
    assert subject not in [s for _to, s in _run(clock, D(2027, 1, 26))]


@pytest.mark.django_db
def test_an_action_with_a_named_owner_reminds_that_person_not_the_office(clock, cycle_world):
    """Named owners (issue 16): the action's owner in the service gets its reminder; the PCC office
    staff, who are reminded of unowned actions, do not."""
    chief = cycle_world["chief"]
    action = cycle_world["draft"].actions.get()
    services.action_save(user=cycle_world["staff"], assessment=cycle_world["draft"], action=action, owner_user=chief)
    action_subject = "Reminder: Action on requirement 3.1(a) (West Midlands Police 2026/27): Test the mutual aid plan"

    sent = _run(clock, D(2027, 2, 1))

    assert (chief.email, action_subject) in sent
    assert (cycle_world["staff"].email, action_subject) not in sent
