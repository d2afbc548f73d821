from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class MembersConfig(AppConfig):
    name = "members"

    def ready(self):
        # Apps on the floors above add to the member screens (see members/parts.py).
        autodiscover_modules("member_parts")
