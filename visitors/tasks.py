"""The open doors' periodic jobs (django-celery-beat rows in migrations/0002). Thin: they call
services, which claim each unit so a second run does nothing twice."""

from celery import shared_task

from . import services


@shared_task
def send_signup_reminders() -> int:
    return services.signup_reminders_send()


@shared_task
def erase_expired_contacts() -> int:
    return services.contacts_erase_due()
