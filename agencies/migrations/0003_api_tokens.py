import hashlib

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


OLD_TABLE = "authtoken_token"  # Django REST framework's tokens: one per user, kept in clear, never ending


def retire_old_tokens(apps, schema_editor):
    """Each old token becomes a device token (its hash only) that ends like any new one, counted from now; then
    the old table, which holds the secrets in clear, is dropped."""
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("agencies", "ApiToken")
    now = django.utils.timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')}, user_id FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create([
        ApiToken(user_id=user_id, digest=hashlib.sha256(key.encode()).hexdigest(), device="(token issued before devices)",
                 created=now, last_used=now) for key, user_id in rows])
    schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(OLD_TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0002_write_position'),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('digest', models.CharField(editable=False, max_length=64, unique=True, verbose_name='SHA-256 of the secret')),
                ('device', models.CharField(blank=True, max_length=200, verbose_name='device')),
                ('created', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='issued')),
                ('last_used', models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name='last used')),
                ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='revoked')),
                ('revoked_because', models.CharField(blank=True, choices=[('logout', 'logged out'), ('password_changed', 'the password was changed'), ('deactivated', 'the account was deactivated'), ('device_removed', 'the device was removed')], editable=False, max_length=20, verbose_name='revoked because')),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_tokens', to=settings.AUTH_USER_MODEL, verbose_name='user')),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created'],
                'indexes': [models.Index(fields=['user', 'revoked_at'], name='agencies_ap_user_id_379d08_idx')],
            },
        ),
        migrations.RunPython(retire_old_tokens, migrations.RunPython.noop),
    ]
