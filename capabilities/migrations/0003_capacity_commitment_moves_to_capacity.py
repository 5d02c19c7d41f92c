"""CapacityCommitment (a force's figures) moves to the `capacity` app: only Django's idea of which app
owns it changes; its table, rows and constraints stay as they are (capacity 0001 takes it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("capabilities", "0002_capacity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="CapacityCommitment")],
            database_operations=[],
        ),
    ]
