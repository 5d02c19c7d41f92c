"""The audit chain becomes keyed and carries security events (issue 13).

Existing entries keep version 1 (unkeyed SHA-256): re-hashing them would need the key inside a
migration, and re-writing them is exactly what the chain must not allow. New entries are version 2
(HMAC-SHA256 with SPR_AUDIT_KEY, its `key_id` recorded) and `verify_audit` refuses an unkeyed entry
after a keyed one (docs/security.md). `kind` tells a record's change from a security event.

On SQLite adding these columns rebuilds the table, which drops the trigger of 0003: it is made again.
"""

from django.conf import settings
from django.db import migrations, models

SQLITE_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS core_auditentry_immutable BEFORE UPDATE ON core_auditentry
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;
"""


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_api_token"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="auditentry",
            name="key_id",
            field=models.CharField(blank=True, db_default="", default="", help_text="Which key made a keyed hash", max_length=16),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("record", "Record changed"),
                    ("sign_in", "Signed in"),
                    ("sign_in_failed", "Sign-in failed"),
                    ("sign_out", "Signed out"),
                    ("locked_out", "Locked out"),
                    ("mfa_changed", "Two-factor authentication changed"),
                    ("token_changed", "API token changed"),
                    ("access_denied", "Denied access to another force’s record"),
                    ("export", "Exported"),
                    ("download", "Downloaded"),
                ],
                db_default="record",
                default="record",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="version",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (1, "SHA-256, unkeyed (entries written before the chain was keyed)"),
                    (2, "HMAC-SHA256 with SPR_AUDIT_KEY"),
                ],
                db_default=1,
                default=1,
            ),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("changed", "Changed"),
                    ("deleted", "Deleted"),
                    ("event", "Security event"),
                ],
                max_length=10,
            ),
        ),
        migrations.AddIndex(
            model_name="auditentry",
            index=models.Index(fields=["kind", "at"], name="audit_kind_at_idx"),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
