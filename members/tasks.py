"""Celery tasks: thin, take ids, call services."""

from celery import shared_task

from . import services
from .models import Member


@shared_task
def send_welcome_email(member_id: int) -> bool:
    member = Member.objects.filter(pk=member_id, left_on__isnull=True).first()
    if member is None or not member.email:
        return False
    services.welcome_email_send(member=member)
    return True


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
