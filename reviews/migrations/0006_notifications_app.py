# Notifications move to an app of their own. The table stays as it is: only Django's
# picture of which app holds it changes (notifications 0001 takes it over).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0005_saved_searches_impact")]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Notification")])]
