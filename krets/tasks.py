"""The core floor's Celery tasks (autodiscovered as krets.tasks)."""

from .mail.tasks import reconcile, send_chunk  # noqa: F401
