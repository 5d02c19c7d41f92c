"""The app's least-privilege database role (issue 13): connected as it, whoever holds the app's
credentials cannot empty, alter, bypass the triggers of, or change the audit trail. PostgreSQL only
(SQLite has no roles)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from core.audit import audit_record
from core.models import AuditEntry

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")


@pytest.fixture
def app_role(transactional_db):
    """The role `db_roles` makes, named after the test database (roles are cluster-wide), dropped after."""
    import psycopg2

    name = f"{connection.settings_dict['NAME']}_app"[:63]
    call_command("db_roles", "--app-role", name)
    params = connection.get_connection_params()
    params.update(user=name, password=None)
    params.pop("password", None)
    as_app = psycopg2.connect(**params)
    as_app.autocommit = True
    yield as_app
    as_app.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {connection.ops.quote_name(name)}")
        cursor.execute(f"DROP ROLE {connection.ops.quote_name(name)}")


def _refused(as_app, sql, params=()) -> str:
    import psycopg2

    with as_app.cursor() as cursor, pytest.raises(psycopg2.Error) as refusal:
        cursor.execute(sql, params)
    return str(refusal.value)


def test_the_app_role_can_append_to_and_read_the_audit_trail(app_role):
    entry = audit_record(actor=None, action="created", model="tests.thing", object_id="1")
    with app_role.cursor() as cursor:
        cursor.execute("SELECT hash FROM core_auditentry WHERE id = %s", [entry.id])
        assert cursor.fetchone() == (entry.hash,)
        cursor.execute(
            "INSERT INTO core_auditentry (at, actor_name, action, model, object_id, object_repr, changes,"
            " prev_hash, hash, kind, version, key_id)"
            " VALUES (now(), '', 'created', 'x', '2', '', '{}', %s, 'h2', 'record', 2, '')",
            [entry.hash],
        )
        # And it may still change the app's other tables (its work needs that).
        cursor.execute("UPDATE forces_force SET name = name WHERE false")


#: What the database owner can do to the trail and the app's role must not, with PostgreSQL's refusal.
REFUSED = [
    ("TRUNCATE core_auditentry", "permission denied"),
    ("DELETE FROM core_auditentry", "permission denied"),
    ("UPDATE core_auditentry SET changes = '{}'", "permission denied"),
    ("ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_immutable", "must be owner"),
    ("ALTER TABLE core_auditentry ADD COLUMN forged text", "must be owner"),
    ("DROP TABLE core_auditentry", "must be owner"),
    ("SET session_replication_role = replica", "permission denied"),
    ("CREATE TABLE forged (id int)", "permission denied"),
    ("TRUNCATE forces_force CASCADE", "permission denied"),
]


def test_the_app_role_cannot_rewrite_the_audit_trail(app_role):
    audit_record(actor=None, action="created", model="tests.thing", object_id="1")

    refusals = {statement: _refused(app_role, statement) for statement, _why in REFUSED}

    for statement, why in REFUSED:
        assert why in refusals[statement], (statement, refusals[statement])
    assert AuditEntry.objects.count() == 1


def test_db_roles_is_idempotent(app_role, capsys):
    name = f"{connection.settings_dict['NAME']}_app"[:63]
    call_command("db_roles", "--app-role", name)
    assert "Created role" not in capsys.readouterr().out
    assert "permission denied" in _refused(app_role, "DELETE FROM core_auditentry")
