from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Loads the fictitious demo chapter. Safe to run again: it updates what is there."

    def handle(self, *args, **options):
        # Each of the project's apps may ship a demo.py with load(); they run in the order of
        # INSTALLED_APPS, ground floor first.
        with transaction.atomic():
            for config in apps.get_app_configs():
                if Path(config.path).parent != settings.BASE_DIR:
                    continue
                if find_spec(f"{config.name}.demo") is None:
                    continue
                import_module(f"{config.name}.demo").load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded: log in as ordforande@example.org / kretsdemo")
        )
