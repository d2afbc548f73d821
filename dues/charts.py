"""The kassör's picture of the year: dues paid, month by month, against what was invoiced."""

import datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from krets.templatetags.krets_format import format_money
from members.charts import cumulative_chart

from .selectors import paid_by_month


def paid_over_year_chart(
    *, year: int, invoiced: Decimal, today: datetime.date | None = None
) -> SafeString:
    """One query; `invoiced` is the year's summary total the page already has."""
    today = today or timezone.localdate()
    paid = paid_by_month(year=year)
    # The months still to come have nothing to show; a future year shows none.
    last = 12 if year < today.year else today.month if year == today.year else 0
    running, values = Decimal("0"), []
    for month in range(1, last + 1):
        running += paid[month]
        values.append(running)
    months = [formats.date_format(datetime.date(year, m, 1), "F") for m in range(1, 13)]
    total = sum(paid.values(), Decimal("0"))
    share = round(100 * total / invoiced) if invoiced else 0
    summary = _(
        "Inbetalt på %(year)s års avgifter: %(paid)s av %(invoiced)s fakturerat (%(share)s %%)."
    ) % {
        "year": year,
        "paid": format_money(total),
        "invoiced": format_money(invoiced),
        "share": share,
    }
    return cumulative_chart(
        months,
        values,
        ceiling=invoiced,
        label=_("Inbetalda avgifter %(year)s, sammanlagt månad för månad") % {"year": year},
        summary=summary,
        value_name=_("Inbetalt hittills"),
        ceiling_name=_("Fakturerat"),
        fmt=lambda value: format_money(value),
        testid="dues-paid-chart",
    )
