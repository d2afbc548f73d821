from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from members.demo import foreign_members


class Command(BaseCommand):
    help = (
        "Loads the fictitious demo chapter into today's year (2023 stays as history). Safe to "
        "run again: it updates what is there. It creates and changes only its own rows, and "
        "refuses to run beside members it did not create unless given --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load beside real members (their rows are left untouched).",
        )

    def handle(self, *args, force: bool = False, **options):
        others = foreign_members().count()
        if others and not force:
            raise CommandError(
                f"The database holds {others} member(s) the demo did not create (their e-mail "
                "is not at example.org). This looks like a real registry: load_demo refuses. "
                "Use --force to load the demo beside them; their rows are left untouched."
            )
        # Each of the project's apps may ship a demo.py with load(); they run in the order of
        # INSTALLED_APPS, ground floor first. With no members but the demo's, the database is
        # the demo's: adopt() marks its rows as the demo's first (a demo loaded before the
        # marker existed). Beside real members (--force) nothing is adopted, and the demo finds
        # only rows it marked itself.
        demos = []
        for config in apps.get_app_configs():
            if Path(config.path).parent != settings.BASE_DIR:
                continue
            if find_spec(f"{config.name}.demo") is None:
                continue
            demos.append(import_module(f"{config.name}.demo"))
        with transaction.atomic():
            if not others:
                for demo in demos:
                    if hasattr(demo, "adopt"):
                        demo.adopt()
            for demo in demos:
                if hasattr(demo, "load"):  # krets.demo holds what the others share
                    demo.load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo loaded: log in as ordforande@example.org / kretsdemo")
        )
