"""The Newsletter model moved to the newsletters app. State only: the table and its rows stay
(newsletters/migrations/0001_initial.py takes the model over with the same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_newsletter_schedules")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Newsletter")],
            database_operations=[],
        )
    ]
