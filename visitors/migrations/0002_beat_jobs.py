"""The open doors' periodic jobs in django-celery-beat's schedule (created once, idempotently):
reminders to sign-ups every hour, and the daily erasure of contacts past their retention."""

from django.db import migrations

REMINDERS = ("visitors: reminders to sign-ups", "visitors.tasks.send_signup_reminders")
RETENTION = ("visitors: erase expired contacts", "visitors.tasks.erase_expired_contacts")


def add_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=1, period="hours")
    PeriodicTask.objects.get_or_create(
        name=REMINDERS[0], defaults={"task": REMINDERS[1], "interval": every_hour}
    )
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone="Europe/Stockholm",
    )
    PeriodicTask.objects.get_or_create(
        name=RETENTION[0], defaults={"task": RETENTION[1], "crontab": nightly}
    )


def remove_jobs(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[REMINDERS[0], RETENTION[0]]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("visitors", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_jobs, remove_jobs)]
