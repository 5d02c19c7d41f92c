"""The database itself refuses to change audit entries.

PostgreSQL refuses UPDATE and DELETE (Django's test flush uses TRUNCATE, which row triggers do not
see). SQLite refuses UPDATE only: its flush deletes rows, and SQLite is the single-user default.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION core_auditentry_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_immutable BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_auditentry_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS core_auditentry_immutable ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_immutable();
"""
SQLITE_UP = """
CREATE TRIGGER core_auditentry_immutable BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS core_auditentry_immutable;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_entry")]

    operations = [migrations.RunPython(forwards, backwards)]
