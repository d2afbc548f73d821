"""The dues models move here from members, with their tables and rows.

Only Django's picture of the models changes (state_operations); the tables keep their names
(db_table "members_*"), so no row is copied or dropped. Members' migration 0006 then forgets
the models on its side. The content types follow, so permissions and admin history stay
attached. tests/test_house_migration.py migrates a filled database across this move.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ["bankentry", "bankfile", "duesinvoice", "duesreminder", "fee", "payment"]


def content_types_follow(apps, schema_editor, source="members", destination="dues"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.using(schema_editor.connection.alias).filter(
        app_label=source, model__in=MOVED
    ).update(app_label=destination)


def content_types_return(apps, schema_editor):
    content_types_follow(apps, schema_editor, source="dues", destination="members")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('members', '0005_search_indexes'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='BankFile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='fil')),
                        ('kind', models.CharField(max_length=10, verbose_name='typ')),
                        ('sha256', models.CharField(max_length=64)),
                        ('uploaded_at', models.DateTimeField(auto_now_add=True, verbose_name='uppladdad')),
                        ('uploaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'bankfil',
                        'verbose_name_plural': 'bankfiler',
                        'db_table': 'members_bankfile',
                        'ordering': ['-uploaded_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Fee',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='år')),
                        ('name', models.CharField(max_length=100, verbose_name='avgift')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='belopp')),
                        ('due_on', models.DateField(verbose_name='förfallodag')),
                        ('is_default', models.BooleanField(default=False, verbose_name='standard')),
                    ],
                    options={
                        'verbose_name': 'avgift',
                        'verbose_name_plural': 'avgifter',
                        'db_table': 'members_fee',
                        'ordering': ['-year', '-is_default', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('year', 'name'), name='unique_fee_name')],
                    },
                ),
                migrations.CreateModel(
                    name='DuesInvoice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('year', models.PositiveSmallIntegerField(verbose_name='år')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='belopp')),
                        ('ocr', models.CharField(max_length=25, unique=True, verbose_name='OCR-nummer')),
                        ('due_on', models.DateField(verbose_name='förfallodag')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='skapad')),
                        ('member', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='members.member', verbose_name='medlem')),
                        ('fee', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invoices', to='dues.fee', verbose_name='avgift')),
                    ],
                    options={
                        'verbose_name': 'avgiftsavi',
                        'verbose_name_plural': 'avgiftsavier',
                        'db_table': 'members_duesinvoice',
                        'ordering': ['-year', 'member__last_name', 'member__first_name', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('paid_on', models.DateField(verbose_name='betald')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=8, verbose_name='belopp')),
                        ('method', models.CharField(choices=[('swish', 'Swish'), ('bankgiro', 'Bankgiro'), ('kontant', 'Kontant'), ('annat', 'Annat')], max_length=10, verbose_name='sätt')),
                        ('reference', models.CharField(blank=True, max_length=100, verbose_name='referens')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registrerad')),
                        ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='dues.duesinvoice', verbose_name='avi')),
                        ('registered_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='registrerad av')),
                    ],
                    options={
                        'verbose_name': 'betalning',
                        'verbose_name_plural': 'betalningar',
                        'db_table': 'members_payment',
                        'ordering': ['paid_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='BankEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('bank_ref', models.CharField(max_length=200, unique=True, verbose_name='bankens referens')),
                        ('booked_on', models.DateField(verbose_name='bokföringsdag')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=10, verbose_name='belopp')),
                        ('reference', models.CharField(blank=True, max_length=140, verbose_name='referens')),
                        ('payer', models.CharField(blank=True, max_length=140, verbose_name='betalare')),
                        ('dismissed', models.BooleanField(default=False, verbose_name='avfärdad')),
                        ('file', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='dues.bankfile')),
                        ('payment', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='bank_entry', to='dues.payment')),
                    ],
                    options={
                        'verbose_name': 'bankpost',
                        'verbose_name_plural': 'bankposter',
                        'db_table': 'members_bankentry',
                        'ordering': ['booked_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='DuesReminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('step', models.PositiveSmallIntegerField(choices=[(1, 'Påminnelse 1'), (2, 'Påminnelse 2'), (3, 'Personlig kontakt')], verbose_name='steg')),
                        ('created_on', models.DateField(verbose_name='datum')),
                        ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='skickad')),
                        ('invoice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to='dues.duesinvoice', verbose_name='avi')),
                    ],
                    options={
                        'verbose_name': 'påminnelse',
                        'verbose_name_plural': 'påminnelser',
                        'db_table': 'members_duesreminder',
                        'ordering': ['invoice', 'step'],
                        'constraints': [models.UniqueConstraint(fields=('invoice', 'step'), name='one_reminder_step_per_invoice')],
                    },
                ),
                migrations.AddIndex(
                    model_name='duesinvoice',
                    index=models.Index(fields=['year', 'due_on'], name='members_due_year_43d913_idx'),
                ),
                migrations.AddConstraint(
                    model_name='duesinvoice',
                    constraint=models.UniqueConstraint(fields=('member', 'year'), name='one_invoice_per_member_year'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_follow, content_types_return),
    ]
