# Precedent search's models move to the precedent app. Their tables (and the engines'
# indexes and triggers on them) stay as they are: only Django's picture of which app holds
# them changes (precedent 0001 takes them over).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casebook", "0015_audit_app")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel("SearchEntry"),
                migrations.DeleteModel("SimilarityFeedback"),
                migrations.DeleteModel("SavedSearch"),
                migrations.DeleteModel("ImpactItem"),
                migrations.DeleteModel("CaseEmbedding"),
            ]
        )
    ]
