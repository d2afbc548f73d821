"""Beat jobs of the newsletters (django-celery-beat): scheduled newsletters are started every
minute; the monthly reminder is checked every morning at 08:00 Stockholm time."""

from django.db import migrations

DISPATCH = "Nyhetsbrev: starta schemalagda"
REMINDER = "Nyhetsbrev: påminn om månadens brev"


def add_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    mornings, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="8",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.update_or_create(
        name=DISPATCH,
        defaults={"task": "campaigns.newsletters_dispatch_due", "interval": every_minute},
    )
    PeriodicTask.objects.update_or_create(
        name=REMINDER,
        defaults={"task": "campaigns.newsletter_monthly_reminder", "crontab": mornings},
    )


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[DISPATCH, REMINDER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_newsletter"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_schedules, remove_schedules)]
