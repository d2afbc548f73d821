"""The Newsletter model, taken over from campaigns (campaigns 0004 let go of it).

State only: the table `campaigns_newsletter`, its rows and its indexes stay as they are, so
nothing is copied or dropped. The same fields and index names as campaigns/0002_newsletter.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("campaigns", "0004_newsletter_moved_to_newsletters"),
        ("krets", "0005_mail_reconcile_schedule"),
        ("members", "0002_newsletter_consent"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Newsletter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("subject", models.CharField(max_length=200, verbose_name="ämne")),
                        ("body", models.TextField(help_text="Skrivs i Markdown: **fet**, *kursiv*, [länk](https://…), - punktlista.", verbose_name="text")),
                        ("audience", models.CharField(choices=[("alla", "Alla medlemmar som vill ha nyhetsbrev"), ("kommundel", "En kommundel"), ("styrelsen", "Styrelsen"), ("nya", "Nya medlemmar (senaste månaderna)")], default="alla", max_length=10, verbose_name="mottagare")),
                        ("joined_months", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="blev medlem de senaste … månaderna")),
                        ("state", models.CharField(choices=[("utkast", "Utkast"), ("schemalagd", "Schemalagd"), ("skickas", "Skickas"), ("pausad", "Pausad"), ("skickad", "Skickad"), ("avbruten", "Avbruten")], default="utkast", max_length=10, verbose_name="läge")),
                        ("send_at", models.DateTimeField(blank=True, null=True, verbose_name="skickas")),
                        ("started_at", models.DateTimeField(blank=True, null=True, verbose_name="började skickas")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="skickad")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="skapad")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="ändrad")),
                        ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="skriven av")),
                        ("district", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="members.district", verbose_name="kommundel")),
                        ("mail_send", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="newsletter", to="krets.mailsend")),
                    ],
                    options={
                        "verbose_name": "nyhetsbrev",
                        "verbose_name_plural": "nyhetsbrev",
                        "db_table": "campaigns_newsletter",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(fields=["state", "send_at"], name="campaigns_n_state_ba7d95_idx"),
                            models.Index(fields=["sent_at"], name="campaigns_n_sent_at_417ef5_idx"),
                        ],
                    },
                ),
            ],
        )
    ]
