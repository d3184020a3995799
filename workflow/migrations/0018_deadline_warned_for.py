"""The due date each deadline was last warned of, so that a sweep with nothing new to warn of reads nothing.

`warned_for` is filled from the warnings already written (their event keys name the deadline and the due date),
and `deadline_unwarned_due` indexes the open deadlines not yet warned of their current due date.
"""

from collections import defaultdict
from datetime import date

from django.db import migrations, models


def _from_written_warnings(apps, schema_editor):
    Deadline = apps.get_model("workflow", "Deadline")
    Notification = apps.get_model("workflow", "Notification")
    warned = defaultdict(set)  # due date -> deadline ids warned of it
    keys = (Notification.objects.filter(event_key__startswith="deadline:", event_key__endswith=":warn")
            .order_by().values_list("event_key", flat=True).distinct())
    for key in keys.iterator(chunk_size=5000):
        _, pk, day, _ = key.split(":")
        warned[date.fromisoformat(day)].add(int(pk))
    for day, ids in warned.items():
        ids = sorted(ids)
        for start in range(0, len(ids), 5000):
            Deadline.objects.filter(pk__in=ids[start:start + 5000], due_date=day).update(warned_for=day)


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_write_position'),
        ('workflow', '0017_normalize_enforcement_case_numbers'),
    ]

    operations = [
        migrations.AddField(
            model_name='deadline',
            name='warned_for',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(_from_written_warnings, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('met_at__isnull', True), ('status', 'open'), models.Q(('warned_for', models.F('due_date')), _negated=True)), fields=['due_date'], name='deadline_unwarned_due'),
        ),
    ]
