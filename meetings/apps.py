from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        # Sections other apps add to a meeting's page (meetings/parts.py).
        autodiscover_modules("meeting_parts")
