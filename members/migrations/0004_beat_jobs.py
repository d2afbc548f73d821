"""The members app's daily jobs in django-celery-beat's schedule (created once, idempotently)."""

from django.db import migrations

JOBS = [
    ("members: unpaid dues reminders", "members.tasks.dues_reminders_daily", "7"),
    ("members: anonymise members who left", "members.tasks.members_retention_daily", "3"),
]


def add_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, hour in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute="0",
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone="Europe/Stockholm",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})


def remove_jobs(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, _, _ in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0003_registry_and_dues"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(add_jobs, remove_jobs)]
