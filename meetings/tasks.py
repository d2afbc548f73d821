"""Background work: thin tasks that take ids and call the services. Mail has no task of its
own: services hand it to the engine (krets.mail), which sends it after commit."""

from celery import shared_task

from . import services


@shared_task
def send_due_reminders() -> int:
    """Periodic (django-celery-beat, hourly): remind those invited to meetings soon."""
    return services.invitation_reminders_send()
