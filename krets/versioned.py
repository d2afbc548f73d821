"""Cached reads that are never stale: values keyed by version counters of the tables they read.

Every INSERT, UPDATE, DELETE or TRUNCATE that Django sends to the database (ORM, `.update()`,
`bulk_create`, raw SQL through `connection.cursor()`) gives the tables it writes a new version
token in the shared cache, after commit (at once in autocommit). `cached(name, scope, compute)`
runs `compute` while recording which tables its queries read, and keeps its result under the
versions those tables had *before* it ran: a write to any of them, from any process (web,
worker, beat, manage.py), changes the key and the next request computes afresh. So a change shows
at once, and nobody has to list a panel's tables by hand (and forget one).

Rules that keep it correct:
- A value is only stored when every table it read was known (and versioned) before it ran; the
  first run of a computation only learns its tables.
- Inside a transaction with uncommitted writes to a table it reads, the cache is bypassed (the
  transaction sees rows nobody else does yet).
- Tables written on every request or every mail (UNVERSIONED) never get versions; a computation
  reading one is never stored.
- Time and the person are not tables: callers put them in `scope` (the day, the user's rights).
- Only with a cache shared by every process (Redis): with the local-memory cache a worker's
  writes could not reach the web server's versions, so `cached` just computes.
"""

import hashlib
import logging
import pickle
import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# Written on every page view, every mail or every scheduler tick: versioning them would cost a
# cache write per request for caches that do not read them.
UNVERSIONED = frozenset(
    {
        "django_session",
        "krets_auditevent",
        "krets_heartbeat",
        "krets_delivery",
        "krets_mailsend",
        "django_celery_beat_periodictask",
        "django_celery_beat_periodictasks",
        "account_emailconfirmation",
    }
)
_WRITE = re.compile(
    r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE
)
_TRUNCATE = re.compile(r"^\s*TRUNCATE\b(.*)$", re.IGNORECASE | re.DOTALL)
_READ = re.compile(r'\b(?:FROM|JOIN)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_KEY = "versioned:table:{}"
# Per process: the tables each computation was seen to read (they only grow).
_reads: dict[str, frozenset[str]] = {}
# Per process: values already fetched, by key. A key names the versions its value was computed
# under, so a value kept here is as fresh as the one in Redis: a hit costs one read of versions.
_local: dict[str, object] = {}
LOCAL_MAX = 512


def enabled() -> bool:
    return settings.KRETS_VERSIONED_CACHE


def written_tables(sql: str) -> set[str]:
    head = sql.lstrip()[:9].upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE")):
        found = _WRITE.match(sql)
        return {found.group(1).lower()} if found else set()
    if head.startswith("TRUNCATE"):
        rest = _TRUNCATE.match(sql).group(1)
        return {name.lower() for name in re.findall(r'"?([A-Za-z0-9_]+)"?', rest)} - {
            "restart",
            "identity",
            "cascade",
            "only",
            "table",
        }
    return set()


def bump(tables) -> None:
    """New version tokens for these tables (a write to them has committed)."""
    tables = set(tables) - UNVERSIONED
    if not tables:
        return
    token = secrets.token_hex(8)
    try:
        cache.set_many({_KEY.format(t): token for t in tables}, timeout=None)
    except Exception:  # the cache is down: nothing is read from it either
        logger.warning("could not bump table versions %s", sorted(tables), exc_info=True)


def _pending(conn) -> set[str]:
    """Tables with uncommitted writes in the connection's current transaction."""
    if not conn.in_atomic_block or not conn.atomic_blocks:
        return set()
    outermost = id(conn.atomic_blocks[0])
    state = getattr(conn, "_versioned_pending", None)
    if state is None or state[0] != outermost:
        state = (outermost, set())
        conn._versioned_pending = state
    return state[1]


class _WriteWatcher:
    """Execute wrapper on every connection: notes the tables each write touches."""

    def __init__(self, conn):
        self.conn = conn

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        tables = written_tables(sql) if isinstance(sql, str) else set()
        tables -= UNVERSIONED
        if tables and enabled():
            if self.conn.in_atomic_block:
                _pending(self.conn).update(tables)
                # One callback per write: a savepoint rolled back drops its own callbacks.
                transaction.on_commit(lambda: bump(tables), using=self.conn.alias, robust=True)
            else:
                # Autocommit: the write has committed. (Under manual transaction management,
                # which the portal never uses, this would bump before the commit: a reader in
                # between could keep the old rows under the new version.)
                bump(tables)
        return result


def watch(sender=None, connection=None, **kwargs) -> None:
    """connection_created receiver (and callable for connections open before ready())."""
    if not any(isinstance(w, _WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection))


def install() -> None:
    connection_created.connect(watch, dispatch_uid="krets.versioned.watch")
    for conn in connections.all(initialized_only=True):
        watch(connection=conn)


class _ReadRecorder:
    def __init__(self):
        self.tables: set[str] = set()

    def __call__(self, execute, sql, params, many, context):
        if isinstance(sql, str):
            self.tables.update(name.lower() for name in _READ.findall(sql))
        return execute(sql, params, many, context)


@contextmanager
def _recording():
    recorder = _ReadRecorder()
    with connection.execute_wrapper(recorder):
        yield recorder.tables


def _versions(tables: frozenset[str]) -> dict[str, str]:
    keys = {_KEY.format(t): t for t in tables}
    found = cache.get_many(list(keys))
    for key in set(keys) - set(found):
        cache.add(key, secrets.token_hex(8), timeout=None)
        found[key] = cache.get(key)
    return {keys[key]: token for key, token in found.items()}


def cached(name: str, scope: str, compute: Callable, *, timeout: int = 3600):
    """`compute()`, or its stored result if no table it reads has changed since.

    `scope` must hold every input that is not a table: the day for anything that compares with
    today, the person or their rights for anything that depends on who asks."""
    if not enabled():
        return compute()
    known = _reads.get(name, frozenset())
    conn = connections[DEFAULT_DB_ALIAS]  # the wrapper itself: its attributes, not the proxy's
    if _pending(conn) & known:
        return compute()
    try:
        versions = _versions(known)
    except Exception:
        logger.warning("versioned cache unreadable; computing %s", name, exc_info=True)
        return compute()
    digest = hashlib.sha1(f"{scope}|{sorted(versions.items())}".encode()).hexdigest()
    key = f"versioned:{name}:{digest}"
    if key in _local:
        return _local[key]
    stored = cache.get(key)
    if stored is not None:
        return _keep(key, pickle.loads(stored))
    with _recording() as read:
        value = compute()
        # Pickled while recording: a lazy queryset in the value runs its query now.
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    _reads[name] = known | read
    if read <= known and not (read & UNVERSIONED) and not (read & _pending(conn)):
        cache.set(key, data, timeout)
        _keep(key, value)
    return value


def _keep(key: str, value):
    """Values are shared between requests of this process: callers treat them as read-only."""
    if len(_local) >= LOCAL_MAX:
        _local.clear()  # stale keys are never read again; dropping them all is the simple bound
    _local[key] = value
    return value


def cached_count(queryset) -> int:
    """`queryset.count()` through the versioned cache, keyed by its SQL: a page's "N personer"
    over 100 000 members is a scan PostgreSQL need not repeat while the tables stand still."""
    sql = _sql(queryset)  # the filters with their values, today's date included
    if sql is None:
        return queryset.count()
    return cached(f"count:{queryset.model._meta.label}", sql, queryset.count)


def _sql(queryset) -> str | None:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # a filter nothing can match (`__in=[]`): Django runs no query
        return None


def cached_rows(queryset) -> list:
    """`list(queryset)` through the versioned cache, keyed by its SQL (a page of a search)."""
    sql = _sql(queryset)
    if sql is None:
        return list(queryset)
    return cached(f"rows:{queryset.model._meta.label}", sql, lambda: list(queryset))


class _Paginator(Paginator):
    def page(self, number):
        page = super().page(number)
        page.object_list = cached_rows(page.object_list)
        return page


def paginator(queryset, per_page: int) -> Paginator:
    """A Paginator whose count and pages come from the versioned cache: a search over 100 000
    members is work PostgreSQL need not repeat while the tables it reads stand still. The
    rows are shared with other requests: read them, do not change them."""
    pages = _Paginator(queryset, per_page)
    pages.count = cached_count(queryset)  # a cached_property: set, it is never queried
    return pages
