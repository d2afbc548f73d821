from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from krets.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Writes a consistent backup of the database into BACKUP_DIR (pg_dump's custom format, "
        "or a SQLite copy) and keeps the newest BACKUP_KEEP."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help=f"default: {settings.BACKUP_DIR}")
        parser.add_argument("--keep", type=int, help=f"default: {settings.BACKUP_KEEP}")

    def handle(self, *args, dir: Path | None, keep: int | None, **options):
        try:
            path = backup_create(folder=dir, keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(str(path))
