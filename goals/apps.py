from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class GoalsConfig(AppConfig):
    name = "goals"

    def ready(self):
        # Apps on the floors above register what they count (see goals/registry.py).
        autodiscover_modules("goals_counters")
        # ... and what the election programme may link to (see goals/linkables.py).
        autodiscover_modules("goals_links")
