"""`manage.py serve [HOST:PORT]`: the web server, one Celery worker and exactly one beat, as the
production stack runs them, supervised together (what `make run` starts).

Without BROKER_URL or REDIS_URL the worker and beat talk through an embedded broker: Kombu's
SQLAlchemy transport on a SQLite file of its own beside the database (krets/broker.py says why).
Ctrl-C (SIGINT) or SIGTERM stops all three: honcho sends SIGTERM to each one's process group,
waits, then kills.
"""

import os
import shlex
import sys
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from krets import broker

BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"


def embedded_broker_url(environ: dict[str, str]) -> str:
    """A SQLite file beside the SQLite database (or in the project folder), never the database
    itself: the broker's polling writes would then hold the lock the web server and beat need."""
    folder = Path(settings.BASE_DIR)
    database_url = environ.get("DATABASE_URL", "")
    if database_url.startswith("sqlite:///"):
        folder = Path(dj_database_url.parse(database_url)["NAME"]).resolve().parent
    return f"{broker.SCHEME}+sqlite:///{folder / 'celery-broker.sqlite3'}"


def child_environment(*, host: str, port: int, environ: dict[str, str]) -> dict[str, str]:
    """The variables the three processes share: links in mail point where this serves, and
    without a broker of the production stack they use the embedded one."""
    env = dict(environ)
    env.setdefault("SITE_URL", f"http://{host}:{port}")
    env["BROKER_URL"] = env.get("BROKER_URL") or env.get("REDIS_URL") or embedded_broker_url(env)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def commands(*, host: str, port: int, concurrency: int) -> dict[str, list[str]]:
    python = sys.executable
    manage = str(Path(settings.BASE_DIR) / "manage.py")
    return {
        "web": [python, manage, "runserver", f"{host}:{port}"],
        "worker": [
            python,
            "-m",
            "celery",
            "-A",
            "krets",
            "worker",
            "--loglevel=INFO",
            # Threads, not prefork: honcho signals the whole process group, and prefork's
            # children would die mid-task on Ctrl-C instead of the worker shutting down warm.
            "--pool=threads",
            f"--concurrency={concurrency}",
            # Gossip and mingle talk to other workers; there are none, and on a polled broker
            # they only slow the start.
            "--without-gossip",
            "--without-mingle",
        ],
        "beat": [
            python,
            "-m",
            "celery",
            "-A",
            "krets",
            "beat",
            "--loglevel=INFO",
            "--scheduler",
            BEAT_SCHEDULER,
        ],
    }


class Command(BaseCommand):
    help = "Serves the portal with a Celery worker and one beat; Ctrl-C stops all of them."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes")

    def handle(self, *args, addrport: str, concurrency: int, **options):
        from honcho.manager import Manager

        host, _, port = addrport.rpartition(":")
        if not host or not port.isdigit():
            raise CommandError("give the address as HOST:PORT, e.g. 127.0.0.1:8000")
        env = child_environment(host=host, port=int(port), environ=os.environ)
        embedded = env["BROKER_URL"].startswith(broker.SCHEME)
        broker_name = "embedded (SQLite)" if embedded else "BROKER_URL"
        self.stdout.write(
            f"Serving on http://{host}:{port} with a worker and beat (links in mail: "
            f"{env['SITE_URL']}; broker: {broker_name}). Ctrl-C stops everything."
        )
        manager = Manager()
        for name, command in commands(host=host, port=int(port), concurrency=concurrency).items():
            manager.add_process(name, _shell_join(command), env=env, cwd=str(settings.BASE_DIR))
        manager.loop()
        sys.exit(manager.returncode)


def _shell_join(command: list[str]) -> str:
    # honcho runs each command through /bin/sh, as a Procfile line; exec leaves no shell between.
    return "exec " + shlex.join(command)
