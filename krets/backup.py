"""Backups of the whole database: a consistent dump into BACKUP_DIR, the newest BACKUP_KEEP kept.

PostgreSQL: `pg_dump --format=custom` (one snapshot; restored with `pg_restore` in a single
transaction). SQLite: Python's sqlite3 backup API (a consistent copy while others write).
`pg_dump` must be of the server's major version or newer (Debian's postgresql-client).
"""

import datetime
import os
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

PREFIX = "kretsportalen-"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}


class BackupError(Exception):
    pass


def _suffix() -> str:
    if connection.vendor not in SUFFIXES:
        raise BackupError(f"no backup for the {connection.vendor} database")
    return SUFFIXES[connection.vendor]


def backups_in(folder: Path) -> list[Path]:
    """This portal's backups in a folder, oldest first (the names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.name.startswith(PREFIX) and path.suffix in SUFFIXES.values()
    )


def backup_create(
    *, folder: Path | None = None, keep: int | None = None, now: datetime.datetime | None = None
) -> Path:
    """Write a backup, then delete all but the newest `keep` ones. Returns the new file."""
    folder = Path(folder or settings.BACKUP_DIR)
    keep = settings.BACKUP_KEEP if keep is None else keep
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now or timezone.now()).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{PREFIX}{stamp}{_suffix()}"
    # Written under another name and renamed when complete: a crash leaves no half backup that
    # rotation would count as one of the kept.
    partial = target.with_name(target.name + ".partial")
    try:
        if connection.vendor == "postgresql":
            _run(["pg_dump", "--format=custom", f"--file={partial}", *_pg_target()])
        else:
            if connection.in_atomic_block:
                # SQLite's backup waits for this connection's own open write transaction.
                raise BackupError("a SQLite backup cannot run inside a transaction")
            connection.ensure_connection()
            with sqlite3.connect(partial) as copy:
                connection.connection.backup(copy)
            copy.close()
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    if keep > 0:
        for old in backups_in(folder)[:-keep]:
            old.unlink()
    return target


def database_table_count() -> int:
    return len(connection.introspection.table_names())


def backup_restore(*, path: Path) -> None:
    """Restore a backup into this (empty) database; refuses one that has any table."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if path.suffix != _suffix():
        raise BackupError(f"{path.name} is not a {connection.vendor} backup ({_suffix()})")
    tables = database_table_count()
    if tables:
        raise BackupError(
            f"the database is not empty ({tables} tables): restore only into a new, empty one"
        )
    if connection.vendor == "postgresql":
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                *_pg_target(as_option=True),
                str(path),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    connection.close()


def _pg_target(*, as_option: bool = False) -> list[str]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    args.append(f"--dbname={db['NAME']}" if as_option else db["NAME"])
    return args


def _run(command: list[str]) -> None:
    env = dict(os.environ)
    password = connection.settings_dict.get("PASSWORD")
    if password:
        env["PGPASSWORD"] = password  # never on the command line, where `ps` shows it
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")
