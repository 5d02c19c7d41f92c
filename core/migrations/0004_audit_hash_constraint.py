"""The audit hash stays unique, as a named constraint, without PostgreSQL's second (LIKE) index.

`unique=True` on a CharField gives PostgreSQL two indexes: the unique one and a
`varchar_pattern_ops` one for LIKE, which nothing asks of a hash and every INSERT keeps up (an
assessment's creation writes 1,000-odd entries at once). On PostgreSQL this renames the unique
constraint and drops the LIKE index: no rebuild, and the table keeps its immutability trigger.
SQLite has no LIKE index and its column is already unique; rebuilding the table there, as
AlterField would, would drop the trigger of 0003, so the database is left as it is.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conname FROM pg_constraint c
            JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid = 'core_auditentry'::regclass AND c.contype = 'u'
              AND a.attname = 'hash' AND cardinality(c.conkey) = 1
            """
        )
        (unique,) = cursor.fetchone()
        cursor.execute(
            """
            SELECT indexname FROM pg_indexes
            WHERE tablename = 'core_auditentry' AND indexdef LIKE '%(hash varchar_pattern_ops)%'
            """
        )
        like_indexes = [name for (name,) in cursor.fetchall()]
    if unique != "audit_hash_unique":
        schema_editor.execute(
            f"ALTER TABLE core_auditentry RENAME CONSTRAINT {schema_editor.quote_name(unique)} TO audit_hash_unique"
        )
    for name in like_indexes:
        schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE core_auditentry RENAME CONSTRAINT audit_hash_unique TO core_auditentry_hash_key")
    schema_editor.execute(
        "CREATE INDEX core_auditentry_hash_9676a960_like ON core_auditentry (hash varchar_pattern_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_entries_are_immutable")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(forwards, backwards)],
            state_operations=[
                migrations.AlterField(model_name="auditentry", name="hash", field=models.CharField(max_length=64)),
                migrations.AddConstraint(
                    model_name="auditentry",
                    constraint=models.UniqueConstraint(fields=("hash",), name="audit_hash_unique"),
                ),
            ],
        )
    ]
