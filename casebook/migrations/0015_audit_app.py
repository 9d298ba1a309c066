# The audit log's models move to the audit app. Their tables stay as they are: only
# Django's picture of which app holds them changes (audit 0001 takes them over).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("casebook", "0014_search_entry_narrow_rows")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("AuditEvent"), migrations.DeleteModel("AuditHead")]
        )
    ]
