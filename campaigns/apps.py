from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self):
        # Apps on the floors above add sections to a campaign's page (see campaigns/parts.py).
        autodiscover_modules("campaign_parts")
