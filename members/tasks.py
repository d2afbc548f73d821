"""Celery tasks: thin, take ids, call services."""

from celery import shared_task

from . import services
from .models import DuesReminder, Member


@shared_task
def send_welcome_email(member_id: int) -> bool:
    member = Member.objects.filter(pk=member_id, left_on__isnull=True).first()
    if member is None or not member.email:
        return False
    services.welcome_email_send(member=member)
    return True


@shared_task
def send_dues_reminder(reminder_id: int) -> bool:
    reminder = DuesReminder.objects.select_related("invoice__member").filter(pk=reminder_id).first()
    return reminder is not None and services.dues_reminder_send(reminder=reminder)


@shared_task
def dues_reminders_daily() -> dict:
    """The daily beat job (PeriodicTask "members: unpaid dues reminders")."""
    return {str(step): n for step, n in services.dues_reminders_run().items()}


@shared_task
def members_retention_daily() -> int:
    """The daily beat job (PeriodicTask "members: anonymise members who left")."""
    return services.members_anonymise_due()


@shared_task
def send_self_service_link(member_id: int) -> bool:
    member = Member.objects.filter(pk=member_id, anonymised_on=None).first()
    if member is None or not member.email:
        return False
    services.self_service_link_email(member=member)
    return True
