"""Celery tasks: thin, take ids, call services. (Mail has none: the engine sends it.)

The daily job keeps the name it had in the members app: beat's schedule row (members migration
0004) still finds it."""

from celery import shared_task

from . import services


@shared_task(name="members.tasks.dues_reminders_daily")
def dues_reminders_daily() -> dict:
    """The daily beat job (PeriodicTask "members: unpaid dues reminders")."""
    return {str(step): n for step, n in services.dues_reminders_run().items()}
