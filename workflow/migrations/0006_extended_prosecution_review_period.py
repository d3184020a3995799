"""A prosecution review extended before the correction of procedure.md §4 recorded its period as one month and
moved its due date by 15 days from the first due date; it now records the whole period (1 month and 15 days from
the same start), so that a recount (a holiday schedule imported) counts it the way the law does."""

from django.db import migrations

EXTENDED_BASIS = "CPL Art. 172 (extended by 15 days)"


def whole_period(apps, schema_editor):
    Deadline = apps.get_model("workflow", "Deadline")
    Deadline.objects.filter(kind="prosecution_review", legal_basis=EXTENDED_BASIS, period_days__isnull=True).update(
        period_days=15)


def first_period_only(apps, schema_editor):
    Deadline = apps.get_model("workflow", "Deadline")
    Deadline.objects.filter(kind="prosecution_review", legal_basis=EXTENDED_BASIS, period_months=1,
                            period_days=15).update(period_days=None)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0005_notification_kinds_of_records")]
    operations = [migrations.RunPython(whole_period, first_period_only)]
