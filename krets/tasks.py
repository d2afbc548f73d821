"""The core floor's Celery tasks (autodiscovered as krets.tasks)."""

from celery import shared_task

from .backup import backup_create
from .health import heartbeat_record
from .mail.tasks import reconcile, send_chunk  # noqa: F401


@shared_task(name="krets.heartbeat")
def heartbeat() -> None:
    """Queued by beat every minute: /healthz reads when a worker last ran it."""
    heartbeat_record()


@shared_task(name="krets.backup_daily")
def backup_daily() -> str:
    """Queued by beat every night (migration 0009): a backup into BACKUP_DIR, with rotation."""
    return str(backup_create())
