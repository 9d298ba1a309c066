# Models taken over from the reviews app with their tables as they were: state only,
# nothing in the database changes but the content types, which follow the models.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor, old='reviews', new='notifications'):
    # An existing database keeps its content types (and so its permissions) for these
    # models: they change app rather than being made anew beside stale ones.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=['notification']).update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old='notifications', new='reviews')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('reviews', '0006_notifications_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('casebook', '0015_audit_app'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Notification',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('assigned', 'Assigned'), ('mentioned', 'Mentioned'), ('opinion_filed', 'Opinion filed'), ('decision_issued', 'Decision issued'), ('condition_due', 'Condition coming due'), ('condition_overdue', 'Condition overdue'), ('review_due', 'Continuing review due'), ('reassessment_opened', 'Reassessment opened'), ('saved_search', 'Saved search matched')], max_length=30)),
                        ('message', models.CharField(max_length=500)),
                        ('url', models.CharField(blank=True, max_length=200)),
                        ('key', models.CharField(max_length=120)),
                        ('created_at', models.DateTimeField()),
                        ('read_at', models.DateTimeField(blank=True, null=True)),
                        ('emailed_at', models.DateTimeField(blank=True, null=True)),
                        ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='casebook.case')),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_notification',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['recipient', 'read_at'], name='reviews_not_recipie_a68ac9_idx')],
                        'constraints': [models.UniqueConstraint(fields=('recipient', 'key'), name='one_notification_per_event')],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
