"""The records behind the campaigns' goal figures: the same query counts them and lists them,
so a figure and the rows behind its link cannot differ (as meetings/records.py does for
meetings). Every function takes an inclusive period of Sandviken's dates."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from .models import (
    Campaign,
    Competition,
    CompetitionEntry,
    LivePanel,
    PaidMarketing,
    first_of_month,
)

# The plan: paid marketing every month, in several channels.
MIN_PAID_CHANNELS = 2


def campaigns_held(start: datetime.date, end: datetime.date) -> QuerySet[Campaign]:
    """Campaigns under way at some point in the period (not cancelled, started by its end and
    by today)."""
    return Campaign.objects.exclude(status=Campaign.Status.CANCELLED).filter(
        starts_on__lte=min(end, timezone.localdate()), ends_on__gte=start
    )


def live_panels_held(start: datetime.date, end: datetime.date) -> QuerySet[LivePanel]:
    """Panels marked held whose start (Stockholm date) falls in the period."""
    return LivePanel.objects.filter(
        status=LivePanel.Status.HELD, starts_at__date__gte=start, starts_at__date__lte=end
    )


def paid_marketing_months(start: datetime.date, end: datetime.date) -> QuerySet:
    """Months in the period with money spent in at least MIN_PAID_CHANNELS channels: rows of
    month, channels and spent."""
    return (
        PaidMarketing.objects.filter(month__gte=first_of_month(start), month__lte=end, spent__gt=0)
        .values("month")
        .annotate(channels=Count("channel", distinct=True), spent_total=Sum("spent"))
        .filter(channels__gte=MIN_PAID_CHANNELS)
        .order_by("month")
    )


def competitions_held(start: datetime.date, end: datetime.date) -> QuerySet[Competition]:
    """Competitions that are over (their last day has passed) and ended in the period: a
    competition counts in the period its last day falls in, once it can be drawn."""
    return Competition.objects.filter(
        ends_on__gte=start, ends_on__lte=min(end, timezone.localdate() - datetime.timedelta(1))
    )


def competition_entries(start: datetime.date, end: datetime.date) -> QuerySet[CompetitionEntry]:
    """Everyone who took part in the competitions held in the period, once per entry."""
    return CompetitionEntry.objects.filter(
        competition__in=competitions_held(start, end).values("pk")
    )


def competitions_with_entries(start: datetime.date, end: datetime.date):
    """competitions_held with each competition's entry count (the records page)."""
    return competitions_held(start, end).annotate(entry_count=Count("entries"))


def records_url(what: str, start: datetime.date, end: datetime.date) -> str:
    """The link a goal figure opens: that period, those records."""
    query = urlencode({"fran": start.isoformat(), "till": end.isoformat()})
    return f"{reverse('campaigns:records', kwargs={'what': what})}?{query}"
