"""Reads about campaigns and external communication."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from . import records
from .models import (
    Campaign,
    Channel,
    ContentItem,
    FollowerCount,
    PaidMarketing,
    first_of_month,
    next_month,
)
from .records import MIN_PAID_CHANNELS


@dataclass(frozen=True)
class MonthPlan:
    month: datetime.date
    channels: int  # channels with a planned amount
    planned: Decimal
    spent: Decimal

    @property
    def too_few_channels(self) -> bool:
        return self.channels < MIN_PAID_CHANNELS


def month_plans(first: datetime.date, count: int) -> list[MonthPlan]:
    """Planned paid marketing for `count` months from `first`'s month, in one query."""
    months = [first_of_month(first)]
    while len(months) < count:
        months.append(next_month(months[-1]))
    rows = (
        PaidMarketing.objects.filter(month__in=months)
        .values("month")
        .annotate(
            channels=Count("id", filter=Q(planned__gt=0)),
            planned=Sum("planned"),
            spent=Sum("spent"),
        )
    )
    by_month = {row["month"]: row for row in rows}
    plans = []
    for month in months:
        row = by_month.get(month, {})
        plans.append(
            MonthPlan(
                month=month,
                channels=row.get("channels", 0),
                planned=row.get("planned") or Decimal(0),
                spent=row.get("spent") or Decimal(0),
            )
        )
    return plans


def upcoming_months_lacking_channels(today: datetime.date | None = None) -> list[MonthPlan]:
    """Next month (flagged before it starts) and this month, if they have too few channels."""
    today = today or timezone.localdate()
    return [plan for plan in month_plans(today, 2) if plan.too_few_channels]


def paid_marketing_months(start: datetime.date, end: datetime.date) -> int:
    """Months in the period with money spent on paid marketing in at least two channels."""
    return records.paid_marketing_months(start, end).count()


def campaigns_held(start: datetime.date, end: datetime.date) -> int:
    """Campaigns under way at some point in the period (not cancelled, started by its end)."""
    return records.campaigns_held(start, end).count()


def live_panels_held(start: datetime.date, end: datetime.date) -> int:
    return records.live_panels_held(start, end).count()


def competitions_held(start: datetime.date, end: datetime.date) -> int:
    return records.competitions_held(start, end).count()


def competition_participants(start: datetime.date, end: datetime.date) -> int:
    return records.competition_entries(start, end).count()


def follower_series() -> dict[Channel, list[tuple[datetime.date, int]]]:
    series: dict[Channel, list[tuple[datetime.date, int]]] = {}
    for count in FollowerCount.objects.select_related("channel").order_by("channel__name", "month"):
        series.setdefault(count.channel, []).append((count.month, count.followers))
    return series


def content_between(start: datetime.date, end: datetime.date):
    return (
        ContentItem.objects.filter(planned_on__gte=start, planned_on__lte=end)
        .select_related("owner", "channel")
        .order_by("planned_on", "id")
    )


def campaigns_overview():
    return Campaign.objects.annotate(activity_count=Count("activities"))
