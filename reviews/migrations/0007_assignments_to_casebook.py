# Assignments move to the casebook app, where need-to-know reads them: someone assigned to
# a case may know it. The table stays as it is (casebook 0017 takes the model over).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reviews", "0006_notifications_app")]

    operations = [migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel("Assignment")])]
