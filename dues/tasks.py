"""Celery tasks: thin, take ids, call services.

They keep the names they had in the members app: beat's schedule rows (members migration 0004)
and reminders queued before the move still find them."""

from celery import shared_task

from . import services
from .models import DuesReminder


@shared_task(name="members.tasks.send_dues_reminder")
def send_dues_reminder(reminder_id: int) -> bool:
    reminder = DuesReminder.objects.select_related("invoice__member").filter(pk=reminder_id).first()
    return reminder is not None and services.dues_reminder_send(reminder=reminder)


@shared_task(name="members.tasks.dues_reminders_daily")
def dues_reminders_daily() -> dict:
    """The daily beat job (PeriodicTask "members: unpaid dues reminders")."""
    return {str(step): n for step, n in services.dues_reminders_run().items()}
