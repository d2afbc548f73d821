"""`manage.py backup` and `manage.py restore`: the demo survives the round trip on both databases,
row for row in every table; restore refuses a database that is not empty; rotation keeps N."""

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from krets.backup import PREFIX, backup_create, backups_in

ROOT = Path(__file__).resolve().parent.parent
OTHER_SERVICES = {"DATABASE_URL", "REDIS_URL", "BROKER_URL", "CACHE_PREFIX"}


def manage(database_url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in OTHER_SERVICES}
    env["DATABASE_URL"] = database_url
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    db.close()
    return counts


def test_sqlite_backup_of_the_demo_restores_every_row_into_a_fresh_database(tmp_path):
    source = tmp_path / "portal.sqlite3"
    manage(f"sqlite:///{source}", "migrate", "--no-input", "-v0")
    manage(f"sqlite:///{source}", "load_demo")
    backup = Path(
        manage(f"sqlite:///{source}", "backup", f"--dir={tmp_path / 'kopior'}").stdout.strip()
    )
    assert backup.parent == tmp_path / "kopior" and backup.name.startswith(PREFIX)

    restored = tmp_path / "ny.sqlite3"
    manage(f"sqlite:///{restored}", "restore", str(backup))

    before, after = sqlite_counts(source), sqlite_counts(restored)
    assert after == before
    assert before["members_member"] > 10 and before["django_celery_beat_periodictask"] > 5
    # The restored portal works: its migrations are all applied.
    assert "[ ]" not in manage(f"sqlite:///{restored}", "showmigrations").stdout

    # Restoring over a database with tables is refused, and nothing changes there.
    refused = manage(f"sqlite:///{source}", "restore", str(backup), check=False)
    assert refused.returncode != 0
    assert "not empty" in refused.stderr
    assert sqlite_counts(source) == before


@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_of_the_demo_restores_every_row_into_a_fresh_database(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    import psycopg

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    backup = backup_create(folder=tmp_path)
    assert backup.suffix == ".dump"

    db = connection.settings_dict
    server = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    fresh = f"{db['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        url = f"postgres://{db['USER']}@{server['host']}:{server['port']}/{fresh}"
        manage(url, "restore", str(backup))

        def counts(name: str) -> dict[str, int]:
            with psycopg.connect(dbname=name, **server) as conn:
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    )
                ]
                return {
                    t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
                }

        before = counts(db["NAME"])
        assert counts(fresh) == before
        assert before["members_member"] > 10

        refused = manage(url, "restore", str(backup), check=False)
        assert refused.returncode != 0 and "not empty" in refused.stderr
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_backups_are_rotated_to_the_newest_kept(tmp_path):
    import datetime

    from django.utils import timezone

    start = timezone.now()
    made = [
        backup_create(folder=tmp_path, keep=2, now=start + datetime.timedelta(days=day))
        for day in range(4)
    ]
    assert backups_in(tmp_path) == made[2:]
    (tmp_path / "annat.txt").write_text("rörs inte")
    backup_create(folder=tmp_path, keep=2, now=start + datetime.timedelta(days=9))
    assert (tmp_path / "annat.txt").exists()
    assert len(backups_in(tmp_path)) == 2
