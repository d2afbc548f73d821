"""What newsletters count toward the year's goals (see goals/registry.py)."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from .selectors import newsletters_sent_between


def _newsletters_sent(start: datetime.date, end: datetime.date) -> int:
    return newsletters_sent_between(start, end).count()


def _newsletters_url(start: datetime.date, end: datetime.date) -> str:
    """The newsletters counted: the same period and query (newsletters_sent_between)."""
    query = urlencode({"fran": start.isoformat(), "till": end.isoformat()})
    return f"{reverse('newsletters:records_sent')}?{query}"


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
