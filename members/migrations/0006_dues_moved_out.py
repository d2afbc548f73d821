"""The dues models now live in the dues app (dues 0001): members forgets them, keeping the
tables, which dues uses under their old names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0005_search_indexes'),
        ('dues', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='bankfile',
                    name='uploaded_by',
                ),
                migrations.RemoveField(
                    model_name='duesinvoice',
                    name='fee',
                ),
                migrations.RemoveField(
                    model_name='duesinvoice',
                    name='member',
                ),
                migrations.RemoveField(
                    model_name='duesreminder',
                    name='invoice',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='invoice',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='registered_by',
                ),
                migrations.DeleteModel(
                    name='BankEntry',
                ),
                migrations.DeleteModel(
                    name='BankFile',
                ),
                migrations.DeleteModel(
                    name='Fee',
                ),
                migrations.DeleteModel(
                    name='DuesReminder',
                ),
                migrations.DeleteModel(
                    name='DuesInvoice',
                ),
                migrations.DeleteModel(
                    name='Payment',
                ),
            ],
            database_operations=[],
        ),
    ]
