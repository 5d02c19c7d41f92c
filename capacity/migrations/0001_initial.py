"""CapacityCommitment, taken over from the capabilities app with its table as it is (no SQL)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("capabilities", "0003_capacity_commitment_moves_to_capacity"),
        ("forces", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CapacityCommitment",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("period", models.CharField(max_length=7)),
                        ("committed", models.PositiveIntegerField()),
                        ("available", models.PositiveIntegerField()),
                        ("notice_period_hours", models.PositiveIntegerField(help_text="Hours needed to mobilise")),
                        ("as_of", models.DateField(help_text="The date the figures were true")),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "capability",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="commitments",
                                to="capabilities.capacitycapability",
                            ),
                        ),
                        (
                            "force",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="capacity_commitments",
                                to="forces.force",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "capabilities_capacitycommitment",
                        "ordering": ["force__name", "capability__position"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("force", "capability", "period"), name="one_commitment_per_period"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
