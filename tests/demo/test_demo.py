import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from core.roles import Role, roles_of
from demo.accounts import demo_accounts_create
from forces.models import Membership


def test_demo_accounts_cover_four_forces_and_national_roles(forces, settings):
    settings.SPR_DEMO_PASSWORD = "demo-pass-123"
    demo_accounts_create()
    User = get_user_model()

    for code in ("west-midlands", "kent", "dyfed-powys", "essex"):
        for prefix, role in (("staff", Role.PCC_STAFF), ("chief", Role.CHIEF_CONSTABLE), ("pcc", Role.PCC)):
            user = User.objects.get(username=f"{prefix}-{code}")
            assert roles_of(user) == {role}
            assert list(Membership.objects.filter(user=user).values_list("force__code", flat=True)) == [code]
            assert user.check_password("demo-pass-123")
    inspector = User.objects.get(username="inspector")
    assert roles_of(inspector) == {Role.INSPECTOR}
    assert not inspector.memberships.exists()
    assert User.objects.get(username="admin").is_superuser


def test_demo_accounts_are_idempotent(forces):
    demo_accounts_create()
    users, memberships = get_user_model().objects.count(), Membership.objects.count()

    demo_accounts_create()

    assert (get_user_model().objects.count(), Membership.objects.count()) == (users, memberships)


def test_seed_demo_refuses_without_debug(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="refusing"):
        call_command("seed_demo")

    assert not get_user_model().objects.filter(username="inspector").exists()


def test_demo_login_works_with_documented_password(forces, client, settings):
    demo_accounts_create()

    response = client.post("/accounts/login/", {"login": "staff-kent", "password": settings.SPR_DEMO_PASSWORD})

    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_seed_demo_gives_each_demo_force_a_finished_and_an_in_progress_assessment(forces, spr2012, settings, tmp_path):
    from assessments.models import Assessment, Departure, Evidence
    from assessments.selectors import my_tasks, task_list

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)

    from demo.assessments import demo_years

    last_year, this_year = demo_years()  # counted from today
    states = {"west-midlands": "responded", "kent": "submitted", "dyfed-powys": "draft", "essex": "draft"}
    for code, state in states.items():
        last = Assessment.objects.get(force__code=code, period=last_year)
        this = Assessment.objects.get(force__code=code, period=this_year)
        assert task_list(assessment=last).completed == 38
        assert last.status == "published" and last.snapshot.sha256
        assert last.challenges.get().status == "closed" and last.challenges.get().replies.count() == 1
        assert this.status == state
        assert this.started_from == last
        if state == "draft":
            assert 0 < task_list(assessment=this).completed < 38
            assert not this.challenges.exists()
        else:
            assert task_list(assessment=this).completed == 38
            assert this.challenges.get().status == "open"
        assert Departure.objects.filter(assessment=this).exists()
        # Named owners: the PCC office member owns the first requirements, and they are under My tasks.
        staff = this.created_by
        assert this.responses.filter(owner=staff).count() == 4
        assert this.actions.filter(owner_user__isnull=False).exists()
        assert [task.kind for task in my_tasks(user=staff)].count("response") == 4
        files = Evidence.objects.filter(force__code=code, kind="file")
        assert files.count() == 3
        assert all((tmp_path / item.file.name).stat().st_size == item.size for item in files)
    assert Assessment.objects.count() == 8
    # The HMIC workspace: requests and findings for the demo forces, created once.
    from django.utils import timezone

    from inspection.models import EvidenceRequest, Finding

    assert EvidenceRequest.objects.count() == 3 and Finding.objects.count() == 4
    kent_request = EvidenceRequest.objects.get(force__code="kent")
    assert kent_request.status == "answered" and kent_request.answer_evidence.exists()
    assert kent_request.due_date > timezone.localdate()
    assert Finding.objects.filter(force__code="kent", period=this_year).exclude(response="").count() == 1
    _assert_rocu_agreements()


def _assert_rocu_agreements():
    """The regional organised crime units of data/forces_rocu.csv, once each; Kent leads ERSOU with
    Essex among its parties, and shares one item under it that Essex's staff can read."""
    from assessments.models import Evidence
    from collaboration.models import Agreement
    from forces.models import Force

    units = set(Force.objects.exclude(rocu="").values_list("rocu", flat=True))
    assert set(Agreement.objects.values_list("title", flat=True)) == units
    assert Agreement.objects.count() == len(units) == 9
    ersou = Agreement.objects.get(title__startswith="ERSOU")
    assert ersou.lead_force.code == "kent"
    parties = dict(ersou.parties.values_list("force__code", "confirmed_at"))
    assert set(parties) == set(Force.objects.filter(rocu=ersou.title).values_list("code", flat=True))
    assert parties["kent"] is not None and parties["essex"] is None
    essex_staff = get_user_model().objects.get(username="staff-essex")
    shared = Evidence.objects.visible_to(essex_staff).exclude(force__code="essex")
    assert [(item.force.code, item.agreement_id) for item in shared] == [("kent", ersou.pk)]


def test_every_demo_person_has_a_name_and_job_title_and_each_force_an_administrator(forces):
    from django.contrib.auth import get_user_model

    from core.people import display_name
    from core.roles import Role, roles_of
    from forces.scoping import force_ids_for

    demo_accounts_create()
    users = {user.username: user for user in get_user_model().objects.select_related("profile")}
    for username, user in users.items():
        assert ", " in display_name(user) and not display_name(user).startswith(username), username
    for code in ("west-midlands", "kent", "dyfed-powys", "essex"):
        admin = users[f"force-admin-{code}"]
        assert roles_of(admin) == {Role.FORCE_ADMIN}
        assert force_ids_for(admin) == [forces[code].pk]
    assert display_name(users["pcc-west-midlands"]) == "Margaret Ellis, Police and Crime Commissioner"
