from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from krets.backup import BackupError, backup_restore
from krets.versioned import bump


class Command(BaseCommand):
    help = "Restores a backup made by `manage.py backup` into an empty database (no tables)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        # pg_restore and SQLite's backup API write past Django: nothing cached from before may
        # be read as if it were the restored data (krets/versioned.py).
        with connection.cursor() as cursor:
            bump(connection.introspection.table_names(cursor))
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
