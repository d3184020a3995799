"""Enforcement case numbers stored as typed (ASCII brackets, full-width digits, spaces) take their official form
(procedure.identifiers.normalize_case_number). Going back leaves them in that form: it was always the right one."""

from django.db import migrations

from procedure.identifiers import normalize_case_number


def normalize(apps, schema_editor):
    Case = apps.get_model("workflow", "Case")
    rows = Case.objects.order_by("pk").values_list("pk", "enforcement_case_number")
    for pk, number in rows.iterator(chunk_size=2000):
        official = normalize_case_number(number)
        if official and official != number:
            Case.objects.filter(pk=pk).update(enforcement_case_number=official)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0016_case_figures")]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop, elidable=True)]
