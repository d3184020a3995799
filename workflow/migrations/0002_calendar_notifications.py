# Holiday calendar (CPL Art. 105) and notifications; seeds the calendar from the packaged State Council schedules.

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def seed_holidays(apps, schema_editor):
    """Load every year chinesecalendar has, so that due dates are counted from the table from the start."""
    from workflow.deadlines.holidays import seed_from_package

    seed_from_package(holiday_model=apps.get_model("workflow", "HolidaySchedule"),
                      year_model=apps.get_model("workflow", "CalendarYear"))


class Migration(migrations.Migration):

    dependencies = [
        ('workflow', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(unique=True, validators=[django.core.validators.MinValueValidator(1949)], verbose_name='year')),
                ('source', models.CharField(blank=True, help_text="The State Council notice or data package the year's schedule comes from.", max_length=300, verbose_name='source')),
                ('imported_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='imported at')),
            ],
            options={
                'verbose_name': 'calendar year',
                'verbose_name_plural': 'calendar years',
                'ordering': ['year'],
            },
        ),
        migrations.CreateModel(
            name='HolidaySchedule',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(unique=True, verbose_name='day')),
                ('is_working_day', models.BooleanField(default=False, help_text='Ticked for a Saturday or Sunday declared a working day; unticked for a public holiday.', verbose_name='working day')),
                ('name', models.CharField(blank=True, max_length=100, verbose_name='name')),
                ('source', models.CharField(blank=True, max_length=300, verbose_name='source')),
            ],
            options={
                'verbose_name': 'holiday schedule day',
                'verbose_name_plural': 'holiday schedule',
                'ordering': ['day'],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('event_key', models.CharField(max_length=120)),
                ('kind', models.CharField(choices=[('deadline_warning', 'Deadline approaching'), ('deadline_overdue', 'Deadline overdue'), ('deadline_escalated', 'Overdue deadline escalated'), ('deadline_awaited', 'Awaited act overdue'), ('transfer_received', 'Transfer received'), ('explanation_requested', 'Explanation requested'), ('supervision_requested', 'Supervision requested'), ('private_prosecution_filed', 'Private prosecution filed'), ('supplement_requested', 'Supplement requested')], max_length=40, verbose_name='kind')),
                ('title', models.CharField(max_length=300, verbose_name='title')),
                ('body', models.TextField(blank=True, verbose_name='text')),
                ('due_date', models.DateField(blank=True, help_text="The deadline's due date at the time.", null=True, verbose_name='due')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='created at')),
                ('read_at', models.DateTimeField(blank=True, null=True, verbose_name='read at')),
                ('email_to', models.EmailField(blank=True, max_length=254, verbose_name='e-mail address')),
                ('emailed_at', models.DateTimeField(blank=True, null=True, verbose_name='e-mailed at')),
                ('case', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='workflow.case')),
                ('deadline', models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to='workflow.deadline')),
                ('recipient', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'notification',
                'verbose_name_plural': 'notifications',
                'ordering': ['-created_at', '-id'],
            },
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(fields=['recipient', '-created_at', '-id'], name='notification_inbox'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('read_at__isnull', True)), fields=['recipient'], name='notification_unread'),
        ),
        migrations.AddIndex(
            model_name='notification',
            index=models.Index(condition=models.Q(('emailed_at__isnull', True), models.Q(('email_to', ''), _negated=True)), fields=['id'], name='notification_email_pending'),
        ),
        migrations.AddConstraint(
            model_name='notification',
            constraint=models.UniqueConstraint(fields=('event_key', 'recipient'), name='notification_once_per_event'),
        ),
        migrations.RunPython(seed_holidays, migrations.RunPython.noop),
    ]
