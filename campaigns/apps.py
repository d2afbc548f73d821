from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        from . import emails  # noqa: F401  (registers the newsletter mail kinds)
