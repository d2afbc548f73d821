from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .selectors import upcoming_months_lacking_channels


@register(daily=True)
def paid_marketing(request) -> Panel | None:
    # The people who buy the marketing see the warning before the month starts.
    if not request.rights.has(Perm.CAMPAIGNS_CHANGE):
        return None
    return Panel(
        title=_("Betald marknadsföring"),
        template="campaigns/overview/marketing.html",
        context={"lacking": upcoming_months_lacking_channels(), "can_change": True},
        order=30,
    )
