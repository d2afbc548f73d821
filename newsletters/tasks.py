"""Beat jobs of the newsletters (scheduled by campaigns/migrations/0003, renamed in 0002 here)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="newsletters.dispatch_due")
def newsletters_dispatch_due() -> list[int]:
    return services.newsletters_dispatch_due()


@shared_task(name="newsletters.monthly_reminder")
def newsletter_monthly_reminder() -> bool:
    send = services.newsletter_monthly_reminder(reminder_day=settings.NEWSLETTER_REMINDER_DAY)
    return send is not None
