"""What /healthz reports: the database, the cache, the broker and the scheduler's last tick.

The scheduler's tick is a Heartbeat row written every minute by the `krets.heartbeat` task that
beat queues (migration 0008): a fresh one shows that beat schedules and a worker runs what it
schedules. No check reads or returns any member data.
"""

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import Heartbeat

SCHEDULER = "beat"
# Beat ticks every minute; three missed ticks and the scheduler counts as down.
SCHEDULER_MAX_AGE = datetime.timedelta(minutes=3)


def heartbeat_record(*, name: str = SCHEDULER, now: datetime.datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": now or timezone.now()})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, 30)
    return "ok" if cache.get(key) == value else "fel: läser inte tillbaka"


def _broker() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok: uppgifter körs i processen"
    from krets.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=3)
    return "ok"


def _scheduler(now: datetime.datetime) -> str:
    beat = Heartbeat.objects.filter(name=SCHEDULER).values_list("at", flat=True).first()
    if beat is None:
        return "fel: inget slag ännu"
    age = now - beat
    if age > SCHEDULER_MAX_AGE:
        return f"fel: senaste slaget för {int(age.total_seconds())} s sedan"
    return "ok"


def health_report(*, now: datetime.datetime | None = None) -> tuple[bool, dict[str, str]]:
    """(healthy, one short line per check); a check that raises reports its exception's kind."""
    now = now or timezone.now()
    report = {}
    for name, check in (
        ("database", _database),
        ("cache", _cache),
        ("broker", _broker),
        ("scheduler", lambda: _scheduler(now)),
    ):
        try:
            report[name] = check()
        except Exception as exc:  # a health check reports every failure, it never raises
            report[name] = f"fel: {type(exc).__name__}"
    return all(value.startswith("ok") for value in report.values()), report
