# The audit log's models, taken over from the casebook app (casebook 0015) with their
# tables as they were: state only, nothing in the database changes.

import django.core.serializers.json
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor, old="casebook", new="audit"):
    # An existing database keeps its content types (and so its permissions) for these
    # models: they change app rather than being made anew beside stale ones.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=["auditevent", "audithead"]).update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old="audit", new="casebook")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("casebook", "0015_audit_app"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AuditHead',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('last_id', models.BigIntegerField()),
                        ('last_hash', models.CharField(max_length=64)),
                        ('signature', models.CharField(max_length=64)),
                    ],
                    options={
                        'db_table': 'casebook_audithead',
                    },
                ),
                migrations.CreateModel(
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField()),
                        ('actor_username', models.CharField(blank=True, max_length=150)),
                        ('action', models.CharField(db_index=True, max_length=80)),
                        ('object_type', models.CharField(blank=True, max_length=80)),
                        ('object_id', models.CharField(blank=True, max_length=80)),
                        ('object_repr', models.CharField(blank=True, max_length=200)),
                        ('before', models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ('after', models.JSONField(blank=True, encoder=django.core.serializers.json.DjangoJSONEncoder, null=True)),
                        ('request_id', models.CharField(blank=True, max_length=64)),
                        ('prev_hash', models.CharField(max_length=64)),
                        ('hash', models.CharField(max_length=64, unique=True)),
                        ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'casebook_auditevent',
                        'ordering': ['id'],
                        'indexes': [models.Index(fields=['object_type', 'object_id'], name='casebook_au_object__7c8922_idx')],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
