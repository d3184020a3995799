"""Indexes for the lists and the sweep at province scale.

* `deadline_open_due`: the open deadlines by due date (only `open`, not `overdue`): the sweep's marking and its
  warning window read only the rows that can fall due, and a sweep with nothing due reads none.
* `deadline_due_order`: every deadline in the deadline list's order (due date, id), so that a page of a user's
  deadlines is found walking the index rather than sorting all of them.
* PostgreSQL only: trigram indexes (pg_trgm, GIN) on the four columns `?q=` searches, on the upper-cased stored
  text as the case-insensitive `LIKE` compares it, so that a search reads the matching cases only.
"""

from django.db import migrations, models

SEARCHED = ("number", "debtor_name", "enforcement_case_number", "applicant_name")


def _trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in SEARCHED:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS case_{column}_trgm ON workflow_case USING gin (UPPER("{column}"::text) '
            f"gin_trgm_ops)"
        )


def _drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS case_{column}_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0013_notification_kinds_of_remedies'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(condition=models.Q(('met_at__isnull', True), ('status', 'open')), fields=['due_date'], name='deadline_open_due'),
        ),
        migrations.AddIndex(
            model_name='deadline',
            index=models.Index(fields=['due_date', 'id'], name='deadline_due_order'),
        ),
        migrations.RunPython(_trigram_indexes, _drop_trigram_indexes, elidable=False),
    ]
