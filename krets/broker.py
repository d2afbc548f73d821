"""The embedded broker of `make run` (`manage.py serve`): Kombu's SQLAlchemy transport on a SQLite
file of its own, as `BROKER_URL=krets-sqlite+sqlite:////path/celery-broker.sqlite3`.

Why this transport: publishing is one committed INSERT and taking a message one BEGIN IMMEDIATE
transaction, so a worker and any number of beats (or a web server) on the same file neither lose
nor share a message. Kombu's filesystem transport writes a message file in place and a reader may
move it away half-written. The file is not the portal's own SQLite database: the broker's polling
would hold the lock that the web server and django-celery-beat's DatabaseScheduler need.

Kombu's virtual transports sleep `polling_interval` (1 s) whenever a worker cannot take a message,
which with a prefetch of one is after every task; 0.1 s keeps a newsletter's chunks moving.
"""

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

SCHEME = "krets-sqlite"


class Transport(SQLAlchemyTransport):
    polling_interval = 0.1


def register() -> None:
    TRANSPORT_ALIASES.setdefault(SCHEME, f"{__name__}:Transport")
