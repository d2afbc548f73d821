import logging
import os

from celery import Celery, Task
from celery.signals import worker_init
from celery.utils.time import get_exponential_backoff_interval

from .broker import register as register_embedded_broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "krets.settings")

logger = logging.getLogger(__name__)


class KretsTask(Task):
    """Every task of the portal: a database that is briefly away (a restart, a failover, a full
    connection table) means try again later with growing pauses, not a lost task. Tasks are
    idempotent (STYLE.md), so running one again is safe."""

    database_retries = 8  # 2 s, 4 s, … up to 10 minutes apart: about 17 minutes in all

    def __call__(self, *args, **kwargs):
        from django.db import InterfaceError, OperationalError, close_old_connections

        try:
            return super().__call__(*args, **kwargs)
        except (OperationalError, InterfaceError) as error:
            close_old_connections()
            countdown = get_exponential_backoff_interval(
                factor=2, retries=self.request.retries, maximum=600, full_jitter=True
            )
            logger.warning("%s: database error, retry in %s s: %s", self.name, countdown, error)
            raise self.retry(
                exc=error, countdown=max(countdown, 1), max_retries=self.database_retries
            ) from error


register_embedded_broker()  # `make run`'s krets-sqlite+sqlite:/// broker (krets/broker.py)
app = Celery("krets", task_cls=KretsTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def refuse_to_start_without_services(sender=None, **kwargs):
    """A worker that cannot reach its database or broker must not report ready: it would take
    tasks off the queue and lose them. Exit non-zero, so the supervisor shows it and restarts."""
    from django.db import connection

    try:
        connection.ensure_connection()
    except Exception as error:
        logger.critical("The worker cannot reach its database, and stops: %s", error)
        raise SystemExit(1) from error
    finally:
        connection.close()
    try:
        with app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=3, interval_start=1, interval_step=1)
    except Exception as error:
        logger.critical("The worker cannot reach its broker, and stops: %s", error)
        raise SystemExit(1) from error


class QueueUnavailable(Exception):
    """The broker would not take a task: the work was not started, and the person must hear so
    (never "skickas" for a mail that will not come)."""


def enqueue(task, args=(), kwargs=None, **options):
    """`task.apply_async(...)`, raising QueueUnavailable when the broker is unreachable."""
    from kombu.exceptions import OperationalError as BrokerError

    try:
        return task.apply_async(args, kwargs, **options)
    except (BrokerError, ConnectionError, OSError) as error:
        logger.error("%s could not be queued: %s", task.name, error)
        raise QueueUnavailable(str(error)) from error
