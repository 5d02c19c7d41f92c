from __future__ import annotations

import pytest

from core.roles import Role
from tests.conftest import HOME_FORCE, OTHER_FORCE, _client_for


@pytest.fixture
def eager_celery():
    """Run Celery tasks in the test's process, so the e-mails they send land in mail.outbox."""
    from spr.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def home_force_admin(make_user):
    return make_user(Role.FORCE_ADMIN, HOME_FORCE, "force-admin-home")


@pytest.fixture
def other_force_admin(make_user):
    """A force administrator of Kent: West Midlands' people and invitations must answer 404."""
    return make_user(Role.FORCE_ADMIN, OTHER_FORCE, "force-admin-other")


@pytest.fixture
def home_force_admin_client(home_force_admin):
    return _client_for(home_force_admin)


@pytest.fixture
def other_force_admin_client(other_force_admin):
    return _client_for(other_force_admin)
