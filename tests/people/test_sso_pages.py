"""The single sign-on group mapping pages under /people/sso/, the access requests on the people page,
and the Django admin's mapping pages: who may map what, and every change in the audit trail."""

from __future__ import annotations

from django.urls import reverse

from core.models import AuditEntry
from people import sso
from people.models import PendingSsoUser, SsoGroupMapping
from tests.conftest import HOME_FORCE, OTHER_FORCE


def _audits(action):
    return AuditEntry.objects.filter(model="people.ssogroupmapping", action=action, kind=AuditEntry.Kind.RECORD)


def test_a_national_administrator_maps_a_group_on_the_page(national_admin_client, forces):
    page = national_admin_client.get(reverse("people:sso-mapping-new"))
    assert page.status_code == 200 and "Group claim value" in page.content.decode()
    response = national_admin_client.post(
        reverse("people:sso-mapping-new"), {"group": " kent-chiefs ", "role": "chief", "force": OTHER_FORCE}
    )
    assert response.status_code == 302 and response["Location"] == reverse("people:sso-mappings")
    mapping = SsoGroupMapping.objects.get()
    assert (mapping.group, mapping.role, mapping.force.code) == ("kent-chiefs", "chief", OTHER_FORCE)
    listing = national_admin_client.get(reverse("people:sso-mappings")).content.decode()
    assert "kent-chiefs" in listing and "Chief constable" in listing and "Kent" in listing
    entry = _audits(AuditEntry.Action.CREATED).get()
    assert entry.changes == {"group": "kent-chiefs", "role": "chief", "force": OTHER_FORCE}

    again = national_admin_client.post(
        reverse("people:sso-mapping-new"), {"group": "kent-chiefs", "role": "staff", "force": OTHER_FORCE}
    )
    assert again.status_code == 400 and "This group is already mapped" in again.content.decode()
    missing_force = national_admin_client.post(reverse("people:sso-mapping-new"), {"group": "x", "role": "staff"})
    assert missing_force.status_code == 400 and "Select the force they will work for" in missing_force.content.decode()


def test_a_force_administrator_maps_only_to_their_own_force_and_force_roles(home_force_admin_client, forces):
    url = reverse("people:sso-mapping-new")
    form = home_force_admin_client.get(url).content.decode()
    assert "Kent" not in form and "National administrator" not in form
    assert home_force_admin_client.post(url, {"group": "g", "role": "staff", "force": OTHER_FORCE}).status_code == 400
    assert home_force_admin_client.post(url, {"group": "g", "role": "inspector"}).status_code == 400
    assert not SsoGroupMapping.objects.exists()
    assert home_force_admin_client.post(url, {"group": "g", "role": "pcc", "force": HOME_FORCE}).status_code == 302
    assert SsoGroupMapping.objects.get().force.code == HOME_FORCE


def test_a_force_administrator_sees_and_removes_only_their_forces_mappings(
    home_force_admin_client, national_admin_user, forces
):
    ours = sso.mapping_create(user=national_admin_user, group="wm-staff", role="staff", force=forces[HOME_FORCE])
    theirs = sso.mapping_create(user=national_admin_user, group="kent-staff", role="staff", force=forces[OTHER_FORCE])
    listing = home_force_admin_client.get(reverse("people:sso-mappings")).content.decode()
    assert "wm-staff" in listing and "kent-staff" not in listing
    assert home_force_admin_client.post(reverse("people:sso-mapping-delete", args=[theirs.pk])).status_code == 404
    assert home_force_admin_client.post(reverse("people:sso-mapping-delete", args=[ours.pk])).status_code == 302
    assert list(SsoGroupMapping.objects.values_list("group", flat=True)) == ["kent-staff"]
    assert _audits(AuditEntry.Action.DELETED).get().changes["group"] == "wm-staff"


def test_people_without_administration_cannot_reach_the_mapping_pages(staff_client):
    assert staff_client.get(reverse("people:sso-mappings")).status_code == 403
    assert staff_client.post(reverse("people:sso-mapping-new"), {"group": "g", "role": "admin"}).status_code == 403
    assert not SsoGroupMapping.objects.exists()


def test_administrators_see_and_dismiss_access_requests(
    national_admin_client, home_force_admin_client, other_force_admin_client, forces
):
    pending = PendingSsoUser.objects.create(
        provider="sso",
        uid="u1",
        email="nia@west-midlands.police.uk",
        name="Nia Newcomer",
        groups=["g-1"],
        force=forces[HOME_FORCE],
    )
    for client in (national_admin_client, home_force_admin_client):
        page = client.get(reverse("people:list")).content.decode()
        assert "Asking for access" in page and "Nia Newcomer" in page and "g-1" in page
    assert "Nia Newcomer" not in other_force_admin_client.get(reverse("people:list")).content.decode()
    dismiss = reverse("people:sso-request-dismiss", args=[pending.pk])
    assert other_force_admin_client.post(dismiss).status_code == 404
    assert home_force_admin_client.post(dismiss).status_code == 302
    pending.refresh_from_db()
    assert pending.dismissed_at is not None
    assert "Nia Newcomer" not in national_admin_client.get(reverse("people:list")).content.decode()
    entry = AuditEntry.objects.get(
        model="people.pendingssouser", object_id=str(pending.pk), kind=AuditEntry.Kind.RECORD
    )
    assert entry.changes["dismissed"] == [False, True]


def test_the_django_admin_edits_mappings_with_an_audit_trail(admin_client, forces):
    add = reverse("admin:people_ssogroupmapping_add")
    response = admin_client.post(add, {"group": "kent-pcc", "role": "pcc", "force": forces[OTHER_FORCE].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    mapping = SsoGroupMapping.objects.get()
    change = reverse("admin:people_ssogroupmapping_change", args=[mapping.pk])
    admin_client.post(change, {"group": "kent-pcc", "role": "chief", "force": forces[OTHER_FORCE].pk})
    admin_client.post(reverse("admin:people_ssogroupmapping_delete", args=[mapping.pk]), {"post": "yes"})
    assert not SsoGroupMapping.objects.exists()
    entries = list(AuditEntry.objects.filter(model="people.ssogroupmapping").order_by("id"))
    assert [e.action for e in entries] == [
        AuditEntry.Action.CREATED,
        AuditEntry.Action.CHANGED,
        AuditEntry.Action.DELETED,
    ]
    assert entries[1].changes == {"role": ["pcc", "chief"]}


def _requests(forces, start: int, count: int) -> None:
    for n in range(start, start + count):
        PendingSsoUser.objects.create(
            provider="sso", uid=f"u{n}", email=f"p{n}@kent.police.uk", name=f"Person {n}", force=forces[OTHER_FORCE]
        )


def test_the_mapping_list_and_access_requests_take_constant_queries(
    national_admin_client, national_admin_user, forces, django_assert_max_num_queries
):
    for n in range(2):
        sso.mapping_create(user=national_admin_user, group=f"g{n}", role="staff", force=forces[OTHER_FORCE])
    _requests(forces, 0, 2)
    with django_assert_max_num_queries(20) as few_mappings:
        national_admin_client.get(reverse("people:sso-mappings"))
    with django_assert_max_num_queries(20) as few_people:
        national_admin_client.get(reverse("people:list"))
    for n in range(2, 12):
        sso.mapping_create(user=national_admin_user, group=f"g{n}", role="pcc", force=forces[HOME_FORCE])
    _requests(forces, 2, 10)
    with django_assert_max_num_queries(len(few_mappings.captured_queries)):
        page = national_admin_client.get(reverse("people:sso-mappings")).content.decode()
    assert "g11" in page
    with django_assert_max_num_queries(len(few_people.captured_queries)):
        page = national_admin_client.get(reverse("people:list")).content.decode()
    assert "Person 11" in page


def test_an_administrator_changes_what_a_group_gives(
    home_force_admin_client, other_force_admin_client, national_admin_user, forces
):
    mapping = sso.mapping_create(user=national_admin_user, group="wm-staff", role="staff", force=forces[HOME_FORCE])
    url = reverse("people:sso-mapping-change", args=[mapping.pk])
    assert other_force_admin_client.get(url).status_code == 404
    assert other_force_admin_client.post(url, {"role": "pcc", "force": OTHER_FORCE}).status_code == 404
    page = home_force_admin_client.get(url)
    assert page.status_code == 200 and "wm-staff" in page.content.decode()
    assert home_force_admin_client.post(url, {"role": "inspector"}).status_code == 400
    assert home_force_admin_client.post(url, {"role": "pcc", "force": OTHER_FORCE}).status_code == 400
    assert home_force_admin_client.post(url, {"role": "pcc", "force": HOME_FORCE}).status_code == 302
    mapping.refresh_from_db()
    assert (mapping.role, mapping.force.code) == ("pcc", HOME_FORCE)
    assert _audits(AuditEntry.Action.CHANGED).get().changes == {"role": ["staff", "pcc"]}


def test_the_api_twin_maps_changes_and_removes_groups_within_scope(
    home_force_admin_client, other_force_admin_client, staff_client, national_admin_user, forces
):
    url = "/api/v1/sso-mappings/"
    made = home_force_admin_client.post(
        url, {"group": "wm-pcc", "role": "pcc", "force": HOME_FORCE}, "application/json"
    )
    assert made.status_code == 201, made.content
    assert made.json()["force"] == HOME_FORCE and made.json()["role"] == "pcc"
    pk = made.json()["id"]
    refused = home_force_admin_client.post(url, {"group": "x", "role": "admin"}, "application/json")
    assert refused.status_code in (400, 403)
    assert (
        staff_client.post(url, {"group": "y", "role": "staff", "force": HOME_FORCE}, "application/json").status_code
        == 403
    )
    assert other_force_admin_client.get(f"{url}{pk}/").status_code == 404
    assert other_force_admin_client.delete(f"{url}{pk}/").status_code == 404
    assert [m["group"] for m in other_force_admin_client.get(url).json()["results"]] == []
    changed = home_force_admin_client.patch(f"{url}{pk}/", {"role": "chief", "force": HOME_FORCE}, "application/json")
    assert changed.status_code == 200 and changed.json()["role"] == "chief"
    assert home_force_admin_client.delete(f"{url}{pk}/").status_code == 204
    assert not SsoGroupMapping.objects.exists()
    actions = list(
        AuditEntry.objects.filter(model="people.ssogroupmapping", kind=AuditEntry.Kind.RECORD)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [AuditEntry.Action.CREATED, AuditEntry.Action.CHANGED, AuditEntry.Action.DELETED]
