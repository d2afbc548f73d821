"""The year's dues figures on the dues list (counts per status, sums, the paid-over-the-year
chart), kept in the cache.

Computing them reads every invoice of the year (94 000 at 100 000 members: 60–150 ms on the
shared two-core machine), and the list shows them on every page. So they are cached per year
and day (a day later, unpaid invoices may have become overdue) under a version that every dues
write moves on commit: `changed()` is called by dues.services._log, which every service that
books, reverses, credits, writes off or creates invoices calls (and by the few writes that are
not audited one by one). A write that bypasses the services (the admin, a shell) shows after
at most FIGURES_SECONDS.
"""

import datetime
import uuid

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from .selectors import dues_summary

FIGURES_SECONDS = 120
VERSION_KEY = "dues:figures-version"


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Lost (evicted, or a new cache): a new version, never one a stale entry was kept under.
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "none"
    return version


def changed() -> None:
    """The year's figures may have changed: recompute them. Now, for reads in this transaction,
    and again once it commits, since a request reading in between still saw the old rows and
    may have cached them under the new version."""
    _renew()
    transaction.on_commit(_renew)


def _renew() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def year_summary(*, year: int, today: datetime.date | None = None) -> dict:
    """selectors.dues_summary, from the cache while no dues write has happened."""
    today = today or timezone.localdate()
    key = f"dues:figures:{year}:{today.isoformat()}:{_version()}"
    summary = cache.get(key)
    if summary is None:
        summary = dues_summary(year=year, today=today)
        cache.set(key, summary, FIGURES_SECONDS)
    return summary


def year_paid_chart(*, year: int, invoiced, today: datetime.date | None = None) -> SafeString:
    """charts.paid_over_year_chart (a pass over the year's payments), cached like the figures
    and per language (its labels are translated)."""
    from .charts import paid_over_year_chart

    today = today or timezone.localdate()
    key = (
        f"dues:paid-chart:{year}:{today.isoformat()}:{translation.get_language()}:"
        f"{invoiced}:{_version()}"
    )
    chart = cache.get(key)
    if chart is None:
        chart = paid_over_year_chart(year=year, invoiced=invoiced, today=today)
        cache.set(key, str(chart), FIGURES_SECONDS)
    return SafeString(chart)
