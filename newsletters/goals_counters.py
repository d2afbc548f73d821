"""What newsletters count toward the year's goals (see goals/registry.py)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from .selectors import newsletters_sent_between


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
