"""Personal API tokens: made and revoked by their owner (page and API), shown once, stored hashed,
expiring, listed with their last use, recorded in the audit trail."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import ApiToken, AuditEntry
from core.tokens import token_create, token_hash


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_page_makes_a_token_shown_once_and_stored_hashed(staff_client, staff_user):
    response = staff_client.post(reverse("account:tokens"), {"name": "Monthly figures", "days": "30"})
    body = response.content.decode()
    assert response.status_code == 200
    secret = re.search(r'id="new-token" type="text" value="(spr_[^"]+)"', body).group(1)
    assert "it will not be shown again" in body

    token = ApiToken.objects.get(user=staff_user)
    assert token.key_hash == token_hash(secret)
    assert not ApiToken.objects.filter(key_hash__contains=secret[4:]).exists()
    assert secret not in str(list(ApiToken.objects.values()))
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=30)).date()

    # The list no longer shows it.
    listing = staff_client.get(reverse("account:tokens")).content.decode()
    assert "Monthly figures" in listing and secret not in listing and token.prefix in listing


def test_page_refuses_a_nameless_token_or_one_past_the_limit(staff_client):
    response = staff_client.post(reverse("account:tokens"), {"name": "", "days": "365"})
    body = response.content.decode()
    assert "<title>Error: " in body
    assert "Enter a name for the token" in body
    assert "Days until it expires must be 90 or fewer" in body
    assert not ApiToken.objects.exists()


def test_a_token_signs_api_calls_and_notes_its_last_use(staff_user):
    new = token_create(user=staff_user, name="script")
    assert new.token.last_used_at is None
    response = Client().get(reverse("api-assessment-list"), **bearer(new.secret))
    assert response.status_code == 200
    new.token.refresh_from_db()
    assert new.token.last_used_at is not None


def test_revoked_expired_and_made_up_tokens_are_refused(staff_user, staff_client):
    revoked = token_create(user=staff_user, name="old")
    staff_client.post(reverse("account:token-revoke", args=[revoked.token.pk]))
    expired = token_create(user=staff_user, name="expired", days=1)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for secret in (revoked.secret, expired.secret, "spr_made-up"):
        response = Client().get(reverse("api-assessment-list"), **bearer(secret))
        assert response.status_code == 401, secret
    staff_user.is_active = False
    staff_user.save()
    live = token_create(user=staff_user, name="live")
    assert Client().get(reverse("api-assessment-list"), **bearer(live.secret)).status_code == 401


def test_nobody_revokes_or_sees_another_persons_token(staff_user, other_staff_client):
    mine = token_create(user=staff_user, name="mine")
    assert other_staff_client.get(reverse("account:token-revoke", args=[mine.token.pk])).status_code == 404
    assert other_staff_client.post(reverse("account:token-revoke", args=[mine.token.pk])).status_code == 404
    assert other_staff_client.get(reverse("api-token-detail", args=[mine.token.pk])).status_code == 404
    assert other_staff_client.delete(reverse("api-token-detail", args=[mine.token.pk])).status_code == 404
    assert other_staff_client.get(reverse("api-token-list")).json()["count"] == 0
    mine.token.refresh_from_db()
    assert mine.token.revoked_at is None


def test_api_makes_lists_and_revokes_own_tokens(staff_client, staff_user):
    made = staff_client.post(reverse("api-token-list"), {"name": "etl", "days": 7}, content_type="application/json")
    assert made.status_code == 201
    secret = made.json()["token"]
    assert secret.startswith("spr_")
    pk = made.json()["id"]

    listed = staff_client.get(reverse("api-token-list")).json()["results"]
    assert [t["name"] for t in listed] == ["etl"]
    assert "token" not in listed[0] and "key_hash" not in listed[0]

    # A token cannot make more tokens: only a signed-in person can.
    refused = Client().post(reverse("api-token-list"), {"name": "more"}, **bearer(secret))
    assert refused.status_code == 403

    assert staff_client.delete(reverse("api-token-detail", args=[pk])).status_code == 204
    assert Client().get(reverse("api-assessment-list"), **bearer(secret)).status_code == 401
    assert staff_client.get(reverse("api-token-detail", args=[pk])).json()["active"] is False


def test_making_and_revoking_a_token_is_in_the_audit_trail(staff_client, staff_user):
    new = token_create(user=staff_user, name="audited")
    staff_client.post(reverse("account:token-revoke", args=[new.token.pk]))
    entries = AuditEntry.objects.filter(model="core.apitoken", object_id=str(new.token.pk)).order_by("id")
    assert [(e.action, e.actor_id) for e in entries] == [("created", staff_user.pk), ("changed", staff_user.pk)]
    assert "revoked_at" in entries[1].changes
    assert new.secret not in str(entries[0].changes)


def test_token_list_takes_the_same_queries_however_many_tokens(staff_client, staff_user, django_assert_max_num_queries):
    for n in range(3):
        token_create(user=staff_user, name=f"t{n}")
    with django_assert_max_num_queries(8) as few:
        staff_client.get(reverse("account:tokens"))
    for n in range(10):
        token_create(user=staff_user, name=f"u{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("account:tokens"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("api-token-list"))


@pytest.mark.parametrize("header", ["Bearer", "Bearer a b", "Token spr_x"])
def test_malformed_headers_are_refused_not_errors(db, header):
    response = Client().get(reverse("api-assessment-list"), HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403)
