"""Celery tasks of the mail engine: thin, they take ids and call the services."""

from celery import shared_task

from . import services


@shared_task(name="krets.mail.send_chunk", acks_late=True, reject_on_worker_lost=True)
def send_chunk(send_id: int, chunk: int) -> int:
    return services.mail_chunk_send(send_id=send_id, chunk=chunk)


@shared_task(name="krets.mail.reconcile")
def reconcile() -> dict[str, int]:
    return services.mail_reconcile()
