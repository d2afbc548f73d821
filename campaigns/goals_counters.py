"""What campaigns count toward the year's goals (see goals/registry.py)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from . import selectors
from .selectors import newsletters_sent_between

register(
    Counter(
        key="campaigns.paid_marketing_months",
        label=_("Månader med betald marknadsföring i minst två kanaler"),
        count=selectors.paid_marketing_months,
        records_url=lambda start, end: f"{reverse('campaigns:marketing')}?ar={start.year}",
        records_permission=Perm.CAMPAIGNS_VIEW,
        report_order=80,
    )
)
register(
    Counter(
        key="campaigns.live_panels_held",
        label=_("Genomförda livesända panelsamtal"),
        count=selectors.live_panels_held,
        records_url=lambda start, end: reverse("campaigns:panels"),
        records_permission=Perm.COMMUNICATION_VIEW,
        report_order=50,
    )
)
register(
    Counter(
        key="campaigns.campaigns_held",
        label=_("Genomförda kampanjer"),
        count=selectors.campaigns_held,
        records_url=lambda start, end: reverse("campaigns:index"),
        records_permission=Perm.CAMPAIGNS_VIEW,
        report_order=70,
    )
)


def _newsletters_sent(start: datetime.date, end: datetime.date) -> int:
    return newsletters_sent_between(start, end).count()


def _newsletters_url(start: datetime.date, end: datetime.date) -> str:
    return reverse("newsletters:index")


register(
    Counter(
        key="newsletters.sent",
        label=_("Nyhetsbrev skickade"),
        count=_newsletters_sent,
        records_url=_newsletters_url,
        records_permission=Perm.COMMUNICATION_VIEW,
        report_order=60,
    )
)
