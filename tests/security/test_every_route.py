"""One test that walks every URL pattern and API route.

A world is built for West Midlands (a published assessment with evidence, a departure, an action
owned by its staff member, a closed challenge, a report job, capacity figures, deadlines, and an HMIC
evidence request and finding), each carrying a marker string. Then:

- anonymous users are sent to sign in (pages) or refused (API) on every route;
- every signed-in role gets no server error anywhere;
- PCC office staff and the force administrator of another force (Kent) get 404 for every West
  Midlands object (people, invitations, single sign-on mappings and access requests included), by GET and by
  POST, and never see a marker in any list, filter or count;
- once West Midlands shares an evidence item with Kent (issue 17), Kent reads and downloads it on every
  read-only route, every write route and method refuses (403 or 405), and everything else of West
  Midlands' still answers 404.

A new route fails this test until it is given a value below, so nothing escapes the walk.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments import services, sharing, workflow
from assessments.models import AssessmentStatus
from assessments.records import ResponseAnswer
from capabilities.models import CapacityCapability
from capacity.models import CapacityCommitment, ExpectedContribution
from collaboration import services as collaboration_services
from core.models import AuditEntry
from core.roles import Role
from core.tokens import token_create
from cycle.services import period_deadlines_save
from forces.models import Force
from inspection import services as inspection_services
from people import services as people_services
from people import sso as people_sso
from people.models import PendingSsoUser
from reports.models import ReportJob
from tests.factories import make_assessment, make_file_evidence, make_link_evidence
from tests.workflow_support import advance

MARKER = "WMSECRETMARKER"
SKIP_PREFIXES = ("admin/",)
#: Routes that hold no force's data: reference data, sign-in, health, the API schema and docs.
PUBLIC_OR_REFERENCE = {
    "home",
    "healthz",
    "login",
    "logout",
    "editions:list",
    "editions:detail",
    "editions:requirement",
    # The national administrator's edition pages: SPR text, never a force's object.
    "editions:upload",
    "editions:changes",
    "editions:mapping",
    "editions:mapping-upload",
    "editions:retire",
    "editions:map-requirement",
    "editions:map-threat",
    "editions:publish",
    "api-edition-mapping",
    "api-edition-publish",
    "api-edition-list",
    "api-edition-detail",
    "api-threat-list",
    "api-threat-detail",
    "api-area-list",
    "api-area-detail",
    "api-requirement-list",
    "api-requirement-detail",
    "api-force-list",
    "api-force-detail",
    "api-region-list",
    "api-region-detail",
    "api-capacity-capability-list",
    "api-capacity-capability-detail",
    "capacity:capability-create",
    "capacity:capability-edit",
    # National deadlines per period: the same for every force, no force's data.
    "cycle:deadlines-edit",
    "api-deadline-detail",
    "people:accept",
    "api-schema",
    "api-docs",
    "api-redoc",
    # django-allauth's one-time links: a key, never a force's object.
    "account_confirm_email",
    "account_reset_password_from_key",
    # Single sign-on: the provider's id, never a force's object.
    "openid_connect_login",
    "openid_connect_callback",
}
#: Sign-in pages anyone may open: django-allauth's account pages for people not signed in.
SIGN_IN_PAGES = {
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_confirm_login_code",
    "mfa_authenticate",
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_signup",
    "socialaccount_login_cancelled",
    "socialaccount_login_error",
}


def _routes():
    def walk(patterns, prefix, namespace, outer_kwargs=()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace or namespace
                inner = (*outer_kwargs, *pattern.pattern.regex.groupindex)
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                route = prefix + str(pattern.pattern)
                if route.startswith(SKIP_PREFIXES):
                    continue
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, route, [*outer_kwargs, *pattern.pattern.regex.groupindex]

    seen = {}
    for name, route, kwargs in walk(get_resolver().url_patterns, "", None):
        seen.setdefault(name, (route, kwargs))
    return seen


@pytest.fixture
def world(forces, spr2012, staff_user, chief_user, pcc_user, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    home = forces["west-midlands"]
    draft = make_assessment(user=staff_user, force=home, edition=spr2012, period="2024/25")
    item = make_link_evidence(user=staff_user, force=home, title=f"{MARKER} evidence")
    response = draft.responses.select_related("requirement").get(requirement__ref="4.1(c)")
    services.response_update(
        user=staff_user,
        response=response,
        expected_version=1,
        answer=ResponseAnswer(judgement="assured", narrative=f"{MARKER} narrative", evidence_ids=[item.id]),
    )
    departure = services.departure_save(
        user=staff_user,
        assessment=draft,
        requirement=response.requirement,
        departing_party="chief_constable",
        circumstances=f"{MARKER} circumstances",
        reasons="r",
        alternative_arrangements="a",
        residual_risk="low",
        review_date=dt.date(2026, 3, 31),
    )
    action = services.action_save(
        user=staff_user,
        assessment=draft,
        requirement=response.requirement,
        gap=f"{MARKER} gap",
        description=f"{MARKER} description",
        owner="ACC",
        owner_user=staff_user,  # so it is in staff_user's My tasks (and nobody else's)
        due_date=dt.date(2025, 1, 1),
    )
    submitted = advance(draft, AssessmentStatus.SUBMITTED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    challenge = workflow.challenge_raise(
        user=pcc_user, assessment=submitted, response=response, text=f"{MARKER} challenge"
    )
    workflow.challenge_close(user=pcc_user, challenge=challenge)
    published = advance(submitted, AssessmentStatus.PUBLISHED, staff=staff_user, chief=chief_user, pcc=pcc_user)
    job = ReportJob.objects.create(
        kind="accountability", assessment=published, requested_by=pcc_user, input_hash="0" * 64
    )
    capability = CapacityCapability.objects.create(
        code="psu", name="Police support units", unit="PSUs", national_planning_assumption=300
    )
    commitment = CapacityCommitment.objects.create(
        force=home,
        capability=capability,
        period="2024/25",
        committed=7,
        available=6,
        notice_period_hours=8,
        as_of=dt.date(2025, 1, 1),
    )
    token = token_create(user=staff_user, name=f"{MARKER} token").token
    expected = ExpectedContribution.objects.create(force=home, capability=capability, period="2024/25", expected=8)
    admin = make_user(Role.NATIONAL_ADMIN, None, "world-admin")
    person = make_user(Role.PCC_STAFF, "west-midlands", "wm-person")
    people_services.person_name_set(person, name=f"{MARKER} person", job_title="Analyst")
    invitation, _link = people_services.invitation_create(
        user=admin,
        email="wm.invitee@example.police.uk",
        name=f"{MARKER} invitee",
        job_title="Analyst",
        role="staff",
        force=home,
    )
    mapping = people_sso.mapping_create(user=admin, group=f"{MARKER}-group", role="staff", force=home)
    inspector = make_user(Role.INSPECTOR, None, "world-inspector")
    evidence_request = inspection_services.evidence_request_create(
        user=inspector,
        force=home,
        requirements=[response.requirement],
        text=f"{MARKER} evidence request",
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    finding = inspection_services.finding_create(
        user=inspector,
        force=home,
        requirement=response.requirement,
        kind="cause-of-concern",
        text=f"{MARKER} finding",
        period="2024/25",
    )
    agreement = collaboration_services.agreement_create(
        user=staff_user,
        lead_force=home,
        title=f"{MARKER} agreement",
        statutory_basis="s22a",
        partners=[forces["staffordshire"]],
        start_date=dt.date(2024, 4, 1),
    )
    access_request = PendingSsoUser.objects.create(
        provider="sso", uid="wm-uid", email="wm.newcomer@example.police.uk", name=f"{MARKER} newcomer", force=home
    )
    deadlines = period_deadlines_save(
        user=admin,
        period="2024/25",
        submit_by=dt.date(2025, 1, 31),
        respond_by=dt.date(2025, 2, 28),
        sign_off_by=dt.date(2025, 3, 15),
        publish_by=dt.date(2025, 3, 31),
    )[0]
    return {
        "deadlines": deadlines,
        "evidence_request": evidence_request,
        "finding": finding,
        "sso_mapping": mapping,
        "sso_request": access_request,
        "agreement": agreement,
        "expected": expected,
        "api_token": token,
        "assessment": published,
        "response": response,
        "evidence": item,
        "departure": departure,
        "action": action,
        "challenge": challenge,
        "job": job,
        "capability": capability,
        "commitment": commitment,
        "person": person,
        "invitation": invitation,
        "token": _link.rsplit("/", 2)[-2],
    }


def _kwargs(name: str, route: str, kwargs: list[str], world) -> dict | None:
    """Values for a route's arguments, pointing at West Midlands objects (None: no force object)."""
    a = world["assessment"]
    api_pk = {
        "assessment": a.pk,
        "response": world["response"].pk,
        "evidence": world["evidence"].pk,
        "departure": world["departure"].pk,
        "action": world["action"].pk,
        "challenge": world["challenge"].pk,
        "report": world["job"].pk,
        "capacity": world["commitment"].pk,
        "expected": world["expected"].pk,
        "requirement": world["response"].requirement_id,
        "threat": world["response"].requirement.threats.first().pk,
        "area": world["response"].requirement.areas.first().pk,
        "person": world["person"].pk,
        "invitation": world["invitation"].pk,
        "token": world["api_token"].pk,
        "sso": world["sso_mapping"].pk,
        "deadline": world["deadlines"].pk,
        "agreement": world["agreement"].pk,
    }
    values = {}
    for kwarg in kwargs:
        if kwarg == "pk":
            if name.startswith(("api-evidence-request", "inspection:request")):
                values["pk"] = world["evidence_request"].pk
            elif name.startswith(("api-finding", "inspection:finding")):
                values["pk"] = world["finding"].pk
            elif name.startswith("api-"):
                values["pk"] = api_pk[name.removeprefix("api-").rsplit("-", 1)[0].split("-")[0]]
            elif name.startswith("assessments:evidence"):
                values["pk"] = world["evidence"].pk
            elif name.startswith("assessments:"):
                values["pk"] = a.pk
            elif name.startswith("collaboration:"):
                values["pk"] = world["agreement"].pk
            elif name.startswith("reports:"):
                values["pk"] = world["job"].pk
            elif name.startswith("account:token"):
                values["pk"] = world["api_token"].pk
            elif name.startswith("people:sso-mapping"):
                values["pk"] = world["sso_mapping"].pk
            elif name.startswith("people:sso-request"):
                values["pk"] = world["sso_request"].pk
            elif name.startswith("people:invitation"):
                values["pk"] = world["invitation"].pk
            elif name.startswith("people:"):
                values["pk"] = world["person"].pk
        elif kwarg == "provider_id":
            values["provider_id"] = "sso"
        elif kwarg in ("key", "uidb36"):
            values[kwarg] = "abc123"
        elif kwarg == "ref":
            values["ref"] = world["response"].requirement.ref
        elif kwarg == "evidence_pk":
            values["evidence_pk"] = world["evidence"].pk
        elif kwarg == "challenge_pk":
            values["challenge_pk"] = world["challenge"].pk
        elif kwarg == "departure_pk":
            values["departure_pk"] = world["departure"].pk
        elif kwarg == "action_pk":
            values["action_pk"] = world["action"].pk
        elif kwarg == "token":
            values["token"] = world["token"]
        elif kwarg == "force_code":
            values["force_code"] = "west-midlands"
        elif kwarg == "kind":
            values["kind"] = "requirement"
        elif kwarg == "period":
            values["period"] = "2024-25"
        elif kwarg == "capability_code":
            values["capability_code"] = world["capability"].code
        elif kwarg == "code":
            values["code"] = {
                "api-dashboard-force": "west-midlands",
                "api-edition-detail": "spr-2012",
                "editions:detail": "spr-2012",
                "editions:requirement": "spr-2012",
                "editions:changes": "spr-2012",
                "editions:mapping": "spr-2012",
                "editions:mapping-upload": "spr-2012",
                "editions:retire": "spr-2012",
                "editions:map-requirement": "spr-2012",
                "editions:map-threat": "spr-2012",
                "editions:publish": "spr-2012",
                "api-edition-mapping": "spr-2012",
                "api-edition-publish": "spr-2012",
                "api-force-detail": "west-midlands",
                "api-region-detail": "west-midlands",
            }.get(name, world["capability"].code)
        else:
            raise AssertionError(f"{name} ({route}) takes {kwarg!r}: give it a West Midlands value in _kwargs")
    return values


def _url(name, route, kwargs, world) -> str:
    return reverse(name, kwargs=_kwargs(name, route, kwargs, world))


def _owns_force_object(name: str, kwargs: list[str]) -> bool:
    return bool(kwargs) and name not in PUBLIC_OR_REFERENCE


@pytest.fixture
def other_force_admin_client(make_user):
    """A force administrator of Kent: manages Kent's people, and must get 404 on West Midlands'."""
    from django.test import Client

    client = Client()
    client.force_login(make_user(Role.FORCE_ADMIN, "kent", "force-admin-kent"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["other_staff_client", "other_force_admin_client"])
def test_other_forces_staff_get_404_on_every_west_midlands_object(world, other, request):
    other_staff_client = request.getfixturevalue(other)
    checked = []
    for name, (route, kwargs) in sorted(_routes().items()):
        if not _owns_force_object(name, kwargs):
            continue
        url = _url(name, route, kwargs, world)
        codes = {
            "GET": other_staff_client.get(url).status_code,
            "POST": other_staff_client.post(url, {}).status_code,
        }
        assert set(codes.values()) <= {404, 405}, (name, url, codes)
        assert 404 in codes.values(), (name, url, codes)
        checked.append(name)
    assert len(checked) > 30, checked
    # Each refusal is a security event (core/security_events.py), by the other force's person.
    denied = AuditEntry.objects.filter(kind=AuditEntry.Kind.ACCESS_DENIED)
    assert denied.count() >= len(checked)
    assert set(denied.values_list("force_id", flat=True)) == {Force.objects.get(code="kent").pk}


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["other_staff_client", "other_force_admin_client"])
def test_other_forces_staff_never_see_west_midlands_in_lists(world, other, request):
    other_staff_client = request.getfixturevalue(other)
    filters = {
        "api-response-list": f"?assessment={world['assessment'].pk}",
        "api-departure-list": f"?assessment={world['assessment'].pk}",
        "api-action-list": f"?assessment={world['assessment'].pk}",
        "api-challenge-list": f"?assessment={world['assessment'].pk}",
        "api-evidence-list": "?force=west-midlands",
        "api-assessment-list": "?force=west-midlands",
        "assessments:evidence-list": "?force=west-midlands",
        "api-capacity-list": "?force=west-midlands",
        "api-evidence-request-list": "?force=west-midlands",
        "api-finding-list": "?force=west-midlands",
        "inspection:requests": "?force=west-midlands",
        "inspection:findings": "?force=west-midlands",
    }
    for name, (_route, kwargs) in sorted(_routes().items()):
        if kwargs:
            continue
        url = reverse(name) + filters.get(name, "")
        response = other_staff_client.get(url)
        assert response.status_code < 500, (name, response.status_code)
        body = response.content.decode(errors="replace")
        assert MARKER not in body, (name, url)
        if name == "api-assessment-list" and response.status_code == 200:
            assert response.json()["count"] == 0


#: Routes that only read an evidence item (a partner it is shared with gets 200 by GET).
EVIDENCE_READ_ROUTES = {
    "assessments:evidence-detail",
    "assessments:evidence-download",
    "api-evidence-detail",
    "api-evidence-download",
}
UNSAFE_METHODS = ("post", "put", "patch", "delete")


#: The route's pk names an evidence item when it follows an `evidence/` segment (page `<id:pk>` or API
#: `(?P<pk>...)`); HMIC's `evidence-requests/<pk>/` names a request, not an item.
EVIDENCE_PK = re.compile(r"(?:^|/|\^)evidence/(?:\(\?P<pk>|<[a-z]+:pk>)")


def _targets_evidence(route: str) -> bool:
    return EVIDENCE_PK.search(route) is not None


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["other_staff_client", "other_force_admin_client"])
def test_shared_evidence_is_read_only_to_partners_on_every_route_and_method(world, other, request, staff_user, forces):
    """West Midlands shares a file with Kent: Kent reads and downloads it; every write route and
    method refuses; every other West Midlands object is still a 404."""
    partner = request.getfixturevalue(other)
    shared = make_file_evidence(user=staff_user, force=forces["west-midlands"], title=f"{MARKER} shared file")
    sharing.evidence_share(user=staff_user, evidence=shared, forces=[forces["kent"]])
    world = {**world, "evidence": shared}
    read, refused, isolated = [], [], []
    for name, (route, kwargs) in sorted(_routes().items()):
        if not _owns_force_object(name, kwargs):
            continue
        url = _url(name, route, kwargs, world)
        if not _targets_evidence(route):
            codes = {"GET": partner.get(url).status_code, "POST": partner.post(url, {}).status_code}
            assert set(codes.values()) <= {404, 405}, (name, url, codes)
            isolated.append(name)
            continue
        got = partner.get(url).status_code
        if name in EVIDENCE_READ_ROUTES:
            assert got == 200, (name, url, got)
            read.append(name)
        else:
            assert got in (403, 405), (name, url, got)
        for method in UNSAFE_METHODS:
            status = getattr(partner, method)(url, {}, content_type="application/json").status_code
            assert status in (403, 405), (name, method, url, status)
        refused.append(name)
    assert sorted(read) == sorted(EVIDENCE_READ_ROUTES)
    assert {"assessments:evidence-share", "assessments:evidence-unshare"} <= set(refused)
    assert len(isolated) > 30
    shared.refresh_from_db()
    assert shared.title == f"{MARKER} shared file"
    assert list(shared.shared_with.values_list("code", flat=True)) == ["kent"]
    # The unshared item of the world is still a 404 to the partner.
    assert partner.get(reverse("api-evidence-detail", args=[world_item_pk(request)])).status_code == 404


def world_item_pk(request) -> int:
    return request.getfixturevalue("world")["evidence"].pk


@pytest.mark.django_db
def test_my_tasks_answer_for_the_signed_in_person_only(world, staff_client, other_staff_client, chief_client):
    """my-tasks takes no id: the owner of West Midlands' action sees it, nobody else does."""
    for name in ("assessments:my-tasks", "api-my-tasks"):
        assert MARKER in staff_client.get(reverse(name)).content.decode(), name
        for client in (other_staff_client, chief_client):
            assert MARKER not in client.get(reverse(name)).content.decode(), name


@pytest.mark.django_db
def test_a_persons_sessions_page_shows_nobody_elses(world, staff_user, other_staff_client):
    """account-sessions and keep-alive take no id: each answers for the signed-in person only."""
    browser = Client(HTTP_USER_AGENT=f"{MARKER} Firefox/125.0")
    browser.force_login(staff_user)
    from core.models import UserSession

    UserSession.objects.filter(user=staff_user).update(user_agent=f"{MARKER} Firefox/125.0 (Windows)")
    page = other_staff_client.get(reverse("account-sessions"))
    assert page.status_code == 200
    assert "Firefox on Windows" not in page.content.decode()
    assert other_staff_client.post(reverse("account-sessions"), {"scope": "others"}).status_code == 302
    assert UserSession.objects.filter(user=staff_user).exists()


ROLE_CLIENTS = [
    "staff_client",
    "chief_client",
    "pcc_client",
    "inspector_client",
    "national_admin_client",
    "other_force_admin_client",
]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_CLIENTS)
def test_every_route_answers_every_role_without_a_server_error(world, role, request):
    client = request.getfixturevalue(role)
    for name, (route, kwargs) in sorted(_routes().items()):
        if name in {"logout"} or name.endswith("download"):
            continue
        url = _url(name, route, kwargs, world)
        status = client.get(url).status_code
        assert status < 500, (role, name, url, status)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_sign_in_or_refused(world, client):
    open_to_all = {"login", "logout", "healthz", "people:accept", *SIGN_IN_PAGES}
    for name, (route, kwargs) in sorted(_routes().items()):
        if name in open_to_all:
            continue
        url = _url(name, route, kwargs, world)
        response = client.get(url)
        if response.status_code == 405:  # a POST-only page: what matters is what a POST gets
            response = client.post(url, {})
        if re.match(r"^api", route):
            assert response.status_code in (401, 403), (name, url, response.status_code)
        else:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (name, url)
