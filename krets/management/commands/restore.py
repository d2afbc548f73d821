from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from krets.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Restores a backup made by `manage.py backup` into an empty database (no tables)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
