# Models taken over from the casebook app with their tables as they were: state only,
# nothing in the database changes but the content types, which follow the models.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def content_types_follow(apps, schema_editor, old='casebook', new='precedent'):
    # An existing database keeps its content types (and so its permissions) for these
    # models: they change app rather than being made anew beside stale ones.
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=old, model__in=['searchentry', 'similarityfeedback', 'savedsearch', 'impactitem', 'caseembedding']).update(app_label=new)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, old='precedent', new='casebook')


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('casebook', '0016_precedent_app'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('principles', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CaseEmbedding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('model', models.CharField(max_length=100)),
                        ('digest', models.CharField(max_length=64)),
                        ('vector', models.BinaryField(help_text='float32 values, little-endian')),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                        ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='embedding', to='casebook.case')),
                    ],
                    options={
                        'db_table': 'casebook_caseembedding',
                    },
                ),
                migrations.CreateModel(
                    name='ImpactItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('provisions', models.CharField(help_text='The changed provisions it relied on, by code.', max_length=500)),
                        ('reviewed_at', models.DateTimeField(blank=True, null=True)),
                        ('note', models.TextField(blank=True, max_length=5000)),
                        ('decision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='impact', to='casebook.decision')),
                        ('reviewed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('revision', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='impact', to='principles.revision')),
                    ],
                    options={
                        'db_table': 'casebook_impactitem',
                        'ordering': ['reviewed_at', '-revision__number', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('revision', 'decision'), name='one_impact_item_per_decision')],
                    },
                ),
                migrations.CreateModel(
                    name='SavedSearch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200)),
                        ('query', models.CharField(help_text="The search's query string: q=…&outcome=…", max_length=2000)),
                        ('created_at', models.DateTimeField()),
                        ('owner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='saved_searches', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'casebook_savedsearch',
                        'ordering': ['name', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('owner', 'name'), name='one_saved_search_per_name')],
                    },
                ),
                migrations.CreateModel(
                    name='SearchEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('open_to_all', models.BooleanField()),
                        ('issued_at', models.DateTimeField(blank=True, null=True)),
                        ('superseded_at', models.DateTimeField(blank=True, null=True)),
                        ('outcome', models.CharField(blank=True, choices=[('approved', 'Approved'), ('approved_with_conditions', 'Approved with conditions'), ('narrowed', 'Narrowed'), ('deferred', 'Deferred'), ('declined', 'Declined'), ('suspended', 'Suspended'), ('terminated', 'Terminated')], max_length=30)),
                        ('country', models.CharField(max_length=100)),
                        ('mission_area', models.CharField(choices=[('cyber_defense', 'Cyber defence'), ('intelligence_analysis', 'Intelligence analysis'), ('law_enforcement', 'Law enforcement and investigations'), ('military_operations', 'Military operations'), ('targeting', 'Targeting support'), ('logistics', 'Logistics'), ('translation', 'Translation and summarisation'), ('administration', 'Administration and services'), ('scientific_research', 'Scientific research'), ('civilian_harm', 'Civilian-harm mitigation'), ('border_security', 'Border and immigration'), ('oversight', 'Oversight and audit')], max_length=30)),
                        ('architecture', models.CharField(choices=[('cloud_only', 'Cloud-only'), ('on_premises', 'On-premises'), ('classified_enclave', 'Classified enclave'), ('edge_device', 'Edge device')], max_length=30)),
                        ('precedent', models.CharField(blank=True, max_length=30)),
                        ('title', models.TextField()),
                        ('holding', models.TextField(blank=True)),
                        ('proposed_use', models.TextField()),
                        ('rationale', models.TextField(blank=True)),
                        ('notes', models.TextField(blank=True)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_entries', to='casebook.case')),
                        ('decision', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='casebook.decision')),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='casebook.partner')),
                    ],
                    options={
                        'db_table': 'casebook_searchentry',
                        'ordering': ['-issued_at', '-id'],
                        'indexes': [models.Index(fields=['issued_at'], name='casebook_se_issued__151dc4_idx'), models.Index(fields=['open_to_all'], name='casebook_se_open_to_7ffc23_idx')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('decision__isnull', True)), fields=('case',), name='one_undecided_entry_per_case')],
                    },
                ),
                migrations.CreateModel(
                    name='SimilarityFeedback',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('reason', models.CharField(blank=True, max_length=500)),
                        ('created_at', models.DateTimeField()),
                        ('by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='similarity_feedback', to='casebook.case')),
                        ('similar_case', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='casebook.case')),
                    ],
                    options={
                        'db_table': 'casebook_similarityfeedback',
                        'ordering': ['created_at', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('case', 'similar_case', 'by'), name='one_mark_per_pair_and_person')],
                    },
                ),
            ]
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
