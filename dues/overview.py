"""The kassör's dues panel on the overview: invoiced, paid, left, overdue, bank credits to match.

Autodiscovered by krets (every app's overview.py).
"""

import datetime
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from krets.overview import Panel, register
from krets.rights import Perm
from members.selectors import current_year

from .models import BankEntry, DuesStatus, Payment
from .selectors import invoices_with_status


def dues_overview(*, year: int, today: datetime.date | None = None) -> dict:
    """The panel's figures for a year, in three queries."""
    today = today or timezone.localdate()
    zero = Decimal("0")
    overdue = Q(status_value=DuesStatus.OVERDUE)
    figures = invoices_with_status(year=year, today=today).aggregate(
        count=Count("id"),
        invoiced=Coalesce(Sum("amount"), zero),
        left=Coalesce(Sum(F("amount") - F("paid"), filter=Q(paid__lt=F("amount"))), zero),
        overdue_count=Count("id", filter=overdue),
        overdue=Coalesce(Sum(F("amount") - F("paid"), filter=overdue), zero),
    )
    figures["paid"] = Payment.objects.filter(invoice__year=year).aggregate(
        paid=Coalesce(Sum("amount"), zero)
    )["paid"]
    figures["year"] = year
    figures["to_match"] = BankEntry.objects.filter(payment=None, dismissed=False).count()
    return figures


@register(daily=True)
def dues_panel(request) -> Panel | None:
    if not request.rights.has(Perm.DUES_VIEW):
        return None
    year = current_year()
    return Panel(
        title=_("Medlemsavgifter %(year)s") % {"year": year},
        template="dues/overview/dues.html",
        context=dues_overview(year=year),
        order=5,
    )
