# Models taken over from the reviews app with their tables as they were: state only,
# nothing in the database changes but the content types, which follow the models.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor, old='reviews', new='casebook'):
    # An existing database keeps its content types (and so its permissions) for these
    # models: they change app rather than being made anew beside stale ones.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=['assignment']).update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old='casebook', new='reviews')


class Migration(migrations.Migration):

    dependencies = [
        ('reviews', '0007_assignments_to_casebook'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('casebook', '0016_precedent_app'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Assignment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('duty', models.CharField(choices=[('reviewer', 'Reviewer'), ('decision_maker', 'Accountable decision-maker')], max_length=20)),
                        ('assigned_at', models.DateTimeField()),
                        ('recused_at', models.DateTimeField(blank=True, null=True)),
                        ('recusal_statement', models.TextField(blank=True, help_text='The conflict of interest.', max_length=5000)),
                        ('assigned_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to='casebook.case')),
                        ('person', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='assignments', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'reviews_assignment',
                        'ordering': ['assigned_at', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('case', 'person'), name='one_assignment_per_person'), models.UniqueConstraint(condition=models.Q(('duty', 'decision_maker'), ('recused_at__isnull', True)), fields=('case',), name='one_accountable_decision_maker')],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
