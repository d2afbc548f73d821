from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm

from .selectors import MONTHLY_TARGET, year_and_month_status


@register(daily=True)
def newsletters_this_year(request) -> Panel | None:
    """The year's newsletters against one a month, and a nudge late in an empty month."""
    if not request.rights.has(Perm.COMMUNICATION_VIEW):
        return None
    today = timezone.localdate()
    sent, month_has_one = year_and_month_status(today)
    return Panel(
        title=_("Nyhetsbrev"),
        template="newsletters/overview/newsletters.html",
        context={
            "year": today.year,
            "sent": sent,
            "target": MONTHLY_TARGET,
            "percent": min(100, round(100 * sent / MONTHLY_TARGET)),
            "reminder": today.day >= settings.NEWSLETTER_REMINDER_DAY and not month_has_one,
        },
        order=40,
    )
