"""What campaigns count toward the year's goals (see goals/registry.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from . import selectors

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
