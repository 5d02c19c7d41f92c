"""Deadlines: national administrators set them (page and API, audited, the dates in order), everyone
signed in reads them, each assessment shows where it stands, the national view filters by it and the
national administrator's home lists the late forces."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from assessments import workflow
from assessments.models import AssessmentStatus
from core.models import AuditEntry
from core.roles import Role
from cycle.models import PeriodDeadlines
from cycle.reminders import reminders_send
from cycle.services import period_deadlines_save
from people.services import person_name_set
from tests.factories import make_assessment
from tests.workflow_support import advance

API = "/api/v1/deadlines/"
DATES = {"submit_by": "2027-01-31", "respond_by": "2027-02-28", "sign_off_by": "2027-03-15", "publish_by": "2027-03-31"}
#: "Now" for these tests: 1 February 2027, the day after submission was due for 2026/27.
NOW = dt.datetime(2027, 2, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """1 February 2027 for the whole test, fixtures included (list it first: clients sign in then,
    or their sessions would have expired by the time the test runs)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _set(user, period="2026/27", **dates):
    values = {name: dt.date.fromisoformat(value) for name, value in (DATES | dates).items()}
    return period_deadlines_save(user=user, period=period, **values)[0]


def _records():
    return AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model="cycle.perioddeadlines")


# --- API -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_national_admin_creates_then_changes_deadlines(national_admin_client):
    created = national_admin_client.post(API, {"period": "2026/27", **DATES}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["submit_by"] == "2027-01-31"
    assert created["Location"].endswith(f"{API}{created.json()['id']}/")
    again = national_admin_client.post(
        API, {"period": "2026/27", **DATES, "publish_by": "2027-04-30"}, content_type="application/json"
    )
    assert again.status_code == 200
    assert PeriodDeadlines.objects.get().publish_by == dt.date(2027, 4, 30)
    patched = national_admin_client.patch(
        f"{API}{created.json()['id']}/", {"sign_off_by": "2027-03-20"}, content_type="application/json"
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["sign_off_by"] == "2027-03-20"
    assert list(_records().values_list("action", flat=True).order_by("id")) == ["created", "changed", "changed"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_client", "chief_client", "pcc_client", "inspector_client"])
def test_api_others_may_read_but_writing_is_forbidden(role, request, national_admin_user):
    client = request.getfixturevalue(role)
    row = _set(national_admin_user)
    listed = client.get(f"{API}?period=2026/27")
    assert listed.status_code == 200
    assert [item["period"] for item in listed.json()["results"]] == ["2026/27"]
    assert client.post(API, {"period": "2027/28", **DATES}, content_type="application/json").status_code == 403
    assert (
        client.patch(f"{API}{row.pk}/", {"submit_by": "2027-01-01"}, content_type="application/json").status_code == 403
    )
    assert PeriodDeadlines.objects.count() == 1
    assert PeriodDeadlines.objects.get().submit_by == dt.date(2027, 1, 31)


@pytest.mark.django_db
def test_api_anonymous_is_refused(client):
    assert client.get(API).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"period": "2026/27", **DATES, "submit_by": "2027-02-30"},  # no such day
        {"period": "2026/27", **DATES, "respond_by": "2027-01-01"},  # before submission
        {"period": "2026/27", **DATES, "publish_by": "31/03/2027"},  # not ISO
        {"period": "2026-2027", **DATES},  # not a financial year
        {"period": "2026/27", **DATES, "colour": "red"},  # unknown field
        {"period": "2026/27"},  # no dates
    ],
)
def test_api_bad_dates_are_refused_and_nothing_is_written(national_admin_client, body):
    response = national_admin_client.post(API, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert PeriodDeadlines.objects.count() == 0
    assert not _records().exists()


@pytest.mark.django_db
def test_api_malformed_json_is_a_clear_400(national_admin_client):
    response = national_admin_client.post(API, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert PeriodDeadlines.objects.count() == 0


@pytest.mark.django_db
def test_api_period_filter_accepts_both_spellings_and_refuses_nonsense(staff_client, national_admin_user):
    _set(national_admin_user)
    _set(national_admin_user, period="2027/28", **{k: v.replace("2027", "2028") for k, v in DATES.items()})
    assert staff_client.get(f"{API}?period=2027-28").json()["results"][0]["period"] == "2027/28"
    assert staff_client.get(f"{API}").json()["count"] == 2
    assert staff_client.get(f"{API}?period=next").status_code == 400


# --- Pages ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_national_admin_sets_deadlines_with_date_inputs(national_admin_client, national_admin_user):
    url = reverse("cycle:deadlines-edit", args=["2026-27"])
    page = national_admin_client.get(url)
    assert page.status_code == 200
    assert 'name="submit_by_day"' in page.content.decode()
    form = {}
    for name, value in DATES.items():
        year, month, day = value.split("-")
        form |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    response = national_admin_client.post(url, form)
    assert response.status_code == 302
    row = PeriodDeadlines.objects.get(period="2026/27")
    assert row.publish_by == dt.date(2027, 3, 31)
    listing = national_admin_client.get(reverse("cycle:deadlines")).content.decode()
    assert "31 January 2027" in listing
    assert "Deadlines for 2026/27 saved" in listing


@pytest.mark.django_db
def test_page_dates_out_of_order_show_the_error_summary_and_write_nothing(national_admin_client):
    form = {}
    for name, value in (DATES | {"sign_off_by": "2027-02-01"}).items():
        year, month, day = value.split("-")
        form |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    form["publish_by_month"] = ""
    response = national_admin_client.post(reverse("cycle:deadlines-edit", args=["2026-27"]), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "There is a problem" in body
    assert "Published to HMIC by must include a month" in body
    assert PeriodDeadlines.objects.count() == 0
    # The order is the service's rule: with every date given, the out-of-order one is named.
    form["publish_by_month"] = "3"
    response = national_admin_client.post(reverse("cycle:deadlines-edit", args=["2026-27"]), form)
    assert response.status_code == 400
    assert "The sign-off date must be the same as or after the response date" in response.content.decode()
    assert PeriodDeadlines.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["staff_client", "pcc_client", "inspector_client"])
def test_page_only_national_admins_may_set_deadlines(role, request):
    client = request.getfixturevalue(role)
    assert client.get(reverse("cycle:deadlines")).status_code == 200
    url = reverse("cycle:deadlines-edit", args=["2026-27"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"submit_by_day": "1"}).status_code == 403
    assert "Set the deadlines" not in client.get(reverse("cycle:deadlines")).content.decode()


@pytest.mark.django_db
def test_page_deadlines_list_query_count_is_constant(
    national_admin_client, national_admin_user, make_user, django_assert_max_num_queries
):
    _set(national_admin_user)
    national_admin_client.get(reverse("cycle:deadlines"))
    with django_assert_max_num_queries(8) as small:
        national_admin_client.get(reverse("cycle:deadlines"))
    for year in range(2020, 2026):
        admin = make_user(Role.NATIONAL_ADMIN, None)
        person_name_set(admin, name=f"Admin {year}", job_title="Cycle lead")
        _set(
            admin,
            period=f"{year}/{(year + 1) % 100:02d}",
            **{k: v.replace("2027", str(year + 1)) for k, v in DATES.items()},
        )
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        page = national_admin_client.get(reverse("cycle:deadlines"))
    assert "Admin 2020, Cycle lead" in page.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Where an assessment stands ------------------------------------------------------------------------


@pytest.fixture
def draft(staff_user, forces, spr2012):
    return make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")


@pytest.mark.django_db
def test_assessment_page_shows_each_step_with_its_tag(clock, staff_client, draft, national_admin_user):
    page = staff_client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    assert 'id="deadline-steps"' not in page  # no deadlines set: nothing shown
    _set(national_admin_user)
    page = staff_client.get(reverse("assessments:detail", args=[draft.pk])).content.decode()
    submit = page[page.index('id="deadline-submit-status"') :][:200]
    assert "govuk-tag--red" in submit and "Late" in submit
    respond = page[page.index('id="deadline-respond-status"') :][:200]
    assert "On time" in respond
    assert "By 31 January 2027" in page


@pytest.mark.django_db
def test_national_admin_home_lists_late_forces_with_links(
    clock, national_admin_client, national_admin_user, staff_client, draft, forces, spr2012, make_user
):
    home = national_admin_client.get(reverse("home")).content.decode()
    assert "Nothing is waiting for you" in home
    _set(national_admin_user)
    kent_staff = make_user(Role.PCC_STAFF, "kent")
    kent = make_assessment(user=kent_staff, force=forces["kent"], edition=spr2012, period="2026/27")
    advance(kent, AssessmentStatus.SUBMITTED, staff=kent_staff, chief=None, pcc=None)
    home = national_admin_client.get(reverse("home")).content.decode()
    assert "Nothing is waiting for you" not in home
    assert "Forces late against the deadlines" in home
    assert f'href="{reverse("assessments:detail", args=[draft.pk])}"' in home  # West Midlands: a late draft
    assert "West Midlands Police 2026/27" in home
    assert "Kent Police 2026/27" not in home  # submitted on time; its response is not due yet
    assert "44 forces have not started their self-assessments for 2026/27" in home  # late too, in one line
    assert "Late: submission was due by 31 January 2027" in home
    # Only national administrators see it.
    assert "Forces late against the deadlines" not in staff_client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_national_view_filters_by_deadline_status(
    clock, national_admin_client, national_admin_user, staff_user, chief_user, pcc_user, forces, spr2012, make_user
):
    _set(national_admin_user)
    wm = make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")
    kent_staff = make_user(Role.PCC_STAFF, "kent")
    kent = make_assessment(user=kent_staff, force=forces["kent"], edition=spr2012, period="2026/27")
    advance(kent, AssessmentStatus.SUBMITTED, staff=kent_staff, chief=None, pcc=None)
    assert wm.status == AssessmentStatus.DRAFT
    late = national_admin_client.get(reverse("dashboards:national"), {"period": "2026/27", "deadline": "late"})
    assert late.status_code == 200
    body = late.content.decode()
    assert "West Midlands" in body and "Kent Police" not in body
    on_time = national_admin_client.get(reverse("dashboards:national"), {"period": "2026/27", "deadline": "on_time"})
    assert "Kent Police" in on_time.content.decode()
    assert "West Midlands Police" not in on_time.content.decode()
    bad = national_admin_client.get(reverse("dashboards:national"), {"deadline": "whenever"})
    assert bad.status_code == 400
    assert "Select a deadline status from the list" in bad.content.decode()


@pytest.mark.django_db
def test_national_view_with_the_deadline_filter_keeps_its_query_count(
    clock, national_admin_client, national_admin_user, forces, spr2012, make_user, django_assert_max_num_queries
):
    _set(national_admin_user)
    url = f"{reverse('dashboards:national')}?period=2026/27&deadline=late"

    def add(code):
        staff = make_user(Role.PCC_STAFF, code)
        make_assessment(user=staff, force=forces[code], edition=spr2012, period="2026/27")

    add("west-midlands")
    national_admin_client.get(url)
    with django_assert_max_num_queries(30) as small:
        assert national_admin_client.get(url).status_code == 200
    for code in ("kent", "staffordshire", "dyfed-powys", "essex"):
        add(code)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = national_admin_client.get(url)
    assert "Essex Police" in page.content.decode()


@pytest.mark.django_db
def test_national_api_twin_filters_by_deadline_and_says_each_forces_standing(
    clock, national_admin_client, national_admin_user, staff_user, forces, spr2012
):
    _set(national_admin_user)
    make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")
    body = national_admin_client.get("/api/v1/dashboard/national/", {"period": "2026/27", "deadline": "late"}).json()
    standings = {force["code"]: force["deadline"] for force in body["forces"]}
    assert standings["west-midlands"] == "late"
    assert set(standings.values()) == {"late"}
    assert national_admin_client.get("/api/v1/dashboard/national/", {"deadline": "soonish"}).status_code == 400


@pytest.mark.django_db
def test_api_list_query_count_is_constant(staff_client, national_admin_user, make_user, django_assert_max_num_queries):
    _set(national_admin_user)
    staff_client.get(API)
    with django_assert_max_num_queries(10) as small:
        assert staff_client.get(API).status_code == 200
    for year in range(2020, 2026):
        admin = make_user(Role.NATIONAL_ADMIN, None)
        dates = {k: v.replace("2027", str(year + 1)) for k, v in DATES.items()}
        _set(admin, period=f"{year}/{(year + 1) % 100:02d}", **dates)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = staff_client.get(API).json()
    assert body["count"] == 7


@pytest.mark.django_db
def test_inspectors_see_no_standing_for_forces_whose_work_they_cannot_read(
    clock, inspector_client, national_admin_user, staff_user, forces, spr2012
):
    _set(national_admin_user)
    make_assessment(user=staff_user, force=forces["west-midlands"], edition=spr2012, period="2026/27")  # a draft
    body = inspector_client.get("/api/v1/dashboard/national/", {"period": "2026/27"}).json()
    assert {force["deadline"] for force in body["forces"]} == {None}
    late = inspector_client.get("/api/v1/dashboard/national/", {"period": "2026/27", "deadline": "late"}).json()
    assert late["forces"] == []


@pytest.mark.django_db
def test_a_revision_of_a_published_assessment_is_not_late(
    clock, national_admin_client, national_admin_user, staff_client, staff_user, chief_user, pcc_user, draft
):
    published = advance(draft, AssessmentStatus.PUBLISHED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    revision = workflow.assessment_revise(user=staff_user, assessment=published)
    _set(national_admin_user)
    page = staff_client.get(reverse("assessments:detail", args=[revision.pk])).content.decode()
    assert "govuk-tag--red" not in page[page.index('id="deadline-steps"') :]
    assert "West Midlands Police 2026/27" not in national_admin_client.get(reverse("home")).content.decode()
    mail.outbox = []
    reminders_send()
    assert not [m for m in mail.outbox if "self-assessment" in m.subject and "West Midlands" in m.subject]


@pytest.mark.django_db
def test_national_admin_home_query_count_is_constant(
    clock, national_admin_client, national_admin_user, forces, spr2012, make_user, django_assert_max_num_queries
):
    _set(national_admin_user)

    def add(code):
        staff = make_user(Role.PCC_STAFF, code)
        make_assessment(user=staff, force=forces[code], edition=spr2012, period="2026/27")

    add("west-midlands")
    national_admin_client.get(reverse("home"))
    with django_assert_max_num_queries(12) as small:
        national_admin_client.get(reverse("home"))
    for code in ("kent", "staffordshire", "dyfed-powys", "essex"):
        add(code)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = national_admin_client.get(reverse("home")).content.decode()
    assert "Essex Police 2026/27" in page


@pytest.mark.django_db
def test_waiting_for_you_says_when_a_step_is_late_or_due_soon(
    clock, staff_client, chief_client, national_admin_user, draft, staff_user, chief_user, pcc_user
):
    _set(national_admin_user)
    home = staff_client.get(reverse("home")).content.decode()
    deadline = home[home.index("spr-waiting__deadline") :][:400]
    assert "govuk-tag--red" in deadline and "Late" in deadline
    assert "Submitted to the chief constable: by 31 January 2027" in deadline
    advance(draft, AssessmentStatus.SUBMITTED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    clock.move_to(dt.datetime(2027, 2, 20, 9, tzinfo=dt.UTC))
    chief_client.force_login(chief_user)  # a new session on the new day
    home = chief_client.get(reverse("home")).content.decode()
    deadline = home[home.index("spr-waiting__deadline") :][:400]
    assert "Due soon" in deadline and "Chief constable’s response: by 28 February 2027" in deadline
