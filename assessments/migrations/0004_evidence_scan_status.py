"""Evidence files get a virus-scan state. Files stored before scanning existed were never scanned:
they become "not_scanned" (downloadable as before; `manage.py scan_evidence --all` scans them);
links and references have no scan state."""

from django.conf import settings
from django.db import migrations, models


def existing_rows(apps, schema_editor):
    Evidence = apps.get_model("assessments", "Evidence")
    Evidence.objects.filter(kind="file").update(scan_status="not_scanned")
    Evidence.objects.exclude(kind="file").update(scan_status="")


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_response_index_trim'),
        ('forces', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='evidence',
            name='scan_status',
            field=models.CharField(blank=True, choices=[('pending', 'Waiting for a virus scan'), ('clean', 'No virus found'), ('infected', 'A virus was found'), ('not_scanned', 'Not scanned: no virus scanner is set up')], default='pending', max_length=12),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='scan_status',
            field=models.CharField(blank=True, choices=[('pending', 'Waiting for a virus scan'), ('clean', 'No virus found'), ('infected', 'A virus was found'), ('not_scanned', 'Not scanned: no virus scanner is set up')], default='pending', max_length=12),
        ),
        migrations.RunPython(existing_rows, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(('scan_status__in', ['pending', 'clean', 'infected', 'not_scanned', ''])), name='evidence_scan_status_known'),
        ),
    ]
