"""Deadlines saved in the admin go through the service (audited, dates in order); reminders there are
a read-only record."""

import pytest
from django.contrib.auth import get_user_model

from core.models import AuditEntry
from core.roles import Role
from cycle.models import PeriodDeadlines


@pytest.fixture
def superuser_client(client, make_user):
    user = make_user(Role.NATIONAL_ADMIN, None, "support")
    get_user_model().objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_admin_saves_deadlines_through_the_service(superuser_client):
    form = {
        "period": "2026/27",
        "submit_by": "2027-01-31",
        "respond_by": "2027-02-28",
        "sign_off_by": "2027-03-15",
        "publish_by": "2027-03-31",
    }
    assert superuser_client.post("/admin/cycle/perioddeadlines/add/", form).status_code == 302
    assert PeriodDeadlines.objects.get().publish_by.isoformat() == "2027-03-31"
    assert AuditEntry.objects.filter(kind=AuditEntry.Kind.RECORD, model="cycle.perioddeadlines").count() == 1
    bad = superuser_client.post(
        "/admin/cycle/perioddeadlines/add/", form | {"period": "2027/28", "respond_by": "2027-01-01"}
    )
    assert bad.status_code == 200  # the form again, with the error
    assert PeriodDeadlines.objects.count() == 1


@pytest.mark.django_db
def test_admin_reminders_are_read_only(superuser_client):
    assert superuser_client.get("/admin/cycle/reminder/").status_code == 200
    assert superuser_client.get("/admin/cycle/reminder/add/").status_code == 403
