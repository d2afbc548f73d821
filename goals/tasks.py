from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_document_mail(event_id: int) -> bool:
    """The email of one step in a theme-group document's flow (sent once)."""
    return services.document_event_mail(event_id=event_id)
