# A draft withdrawn before it was submitted was stored as open to all, so every role found
# it. It is its filer's (and its access list's) alone: its entries say so from now on.
from django.db import migrations


def close_withdrawn_drafts(apps, schema_editor):
    SearchEntry = apps.get_model("precedent", "SearchEntry")
    SearchEntry.objects.filter(case__submitted_at__isnull=True, open_to_all=True).update(open_to_all=False)


class Migration(migrations.Migration):
    dependencies = [("precedent", "0001_initial")]

    operations = [migrations.RunPython(close_withdrawn_drafts, migrations.RunPython.noop)]
