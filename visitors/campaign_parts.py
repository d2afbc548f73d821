"""A campaign's page (campaigns/parts.py) shows the open doors' links to hand out, each with
?kampanj=<pk> so what comes of them is counted for the campaign, and how many have."""

from django.conf import settings
from django.urls import reverse

from campaigns.parts import CampaignPart, Section, register

from .models import Application, SignUp
from .selectors import public_meetings


def _link(name: str, campaign, **kwargs) -> str:
    return f"{settings.SITE_URL}{reverse(name, kwargs=kwargs)}?kampanj={campaign.pk}"


def _section(campaign, rights):
    meetings = list(public_meetings()[:10])
    return Section(
        "visitors/campaign_section.html",
        {
            "join_url": _link("visitors:join", campaign),
            "meetings": [
                (meeting, _link("visitors:meeting", campaign, pk=meeting.pk))
                for meeting in meetings
            ],
            "signups": SignUp.objects.filter(campaign=campaign, confirmed_at__isnull=False).count(),
            "applications": Application.objects.filter(
                campaign=campaign, verified_at__isnull=False
            ).count(),
            "members": Application.objects.filter(
                campaign=campaign, state=Application.State.APPROVED
            ).count(),
        },
    )


register(CampaignPart(key="visitors", section=_section))
