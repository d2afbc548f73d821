"""Celery tasks: thin, take ids, call services. (Mail has none: the engine sends it.)"""

from celery import shared_task

from . import services


@shared_task
def members_retention_daily() -> int:
    """The daily beat job (PeriodicTask "members: anonymise members who left")."""
    return services.members_anonymise_due()
