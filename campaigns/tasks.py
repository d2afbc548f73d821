"""Beat jobs of the newsletters (their schedule: migration 0003_newsletter_schedules)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(name="campaigns.newsletters_dispatch_due")
def newsletters_dispatch_due() -> list[int]:
    return services.newsletters_dispatch_due()


@shared_task(name="campaigns.newsletter_monthly_reminder")
def newsletter_monthly_reminder() -> bool:
    send = services.newsletter_monthly_reminder(reminder_day=settings.NEWSLETTER_REMINDER_DAY)
    return send is not None
