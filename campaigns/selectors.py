"""Reads about campaigns and external communication."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from members.models import BoardAssignment, BoardFunction, Member
from members.selectors import current_year

from .models import (
    Campaign,
    Channel,
    ContentItem,
    FollowerCount,
    LivePanel,
    Newsletter,
    PaidMarketing,
    first_of_month,
    next_month,
)

# The plan: paid marketing every month, in several channels.
MIN_PAID_CHANNELS = 2


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
    return (
        PaidMarketing.objects.filter(month__gte=first_of_month(start), month__lte=end, spent__gt=0)
        .values("month")
        .annotate(channels=Count("channel", distinct=True))
        .filter(channels__gte=MIN_PAID_CHANNELS)
        .count()
    )


def campaigns_held(start: datetime.date, end: datetime.date) -> int:
    """Campaigns under way at some point in the period (not cancelled, started by its end)."""
    return (
        Campaign.objects.exclude(status=Campaign.Status.CANCELLED)
        .filter(starts_on__lte=min(end, timezone.localdate()), ends_on__gte=start)
        .count()
    )


def live_panels_held(start: datetime.date, end: datetime.date) -> int:
    return LivePanel.objects.filter(
        status=LivePanel.Status.HELD, starts_at__date__gte=start, starts_at__date__lte=end
    ).count()


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


# --- newsletters ---------------------------------------------------------------------------

MONTHLY_TARGET = 12


def months_before(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    # The 31st of a shorter month becomes its last day.
    for day_of_month in range(day.day, 0, -1):
        try:
            return datetime.date(year, month + 1, day_of_month)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def newsletter_audience(newsletter: Newsletter, *, today: datetime.date | None = None) -> QuerySet:
    """The members a newsletter goes to: active, with an address, and with consent."""
    today = today or timezone.localdate()
    members = Member.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today), newsletter_consent=True
    ).exclude(email="")
    A = Newsletter.Audience
    if newsletter.audience == A.DISTRICT:
        members = members.filter(district_id=newsletter.district_id)
    elif newsletter.audience == A.BOARD:
        board = BoardAssignment.objects.filter(year=current_year()).values("member_id")
        members = members.filter(pk__in=board)
    elif newsletter.audience == A.RECENT:
        members = members.filter(joined_on__gte=months_before(today, newsletter.joined_months or 0))
    return members.order_by("pk")


def members_still_wanting(member_ids: list[int], *, today: datetime.date | None = None) -> set[int]:
    """Of these members, those who still want newsletters (consent kept, not left)."""
    today = today or timezone.localdate()
    return set(
        Member.objects.filter(
            Q(left_on__isnull=True) | Q(left_on__gt=today),
            pk__in=member_ids,
            newsletter_consent=True,
        ).values_list("pk", flat=True)
    )


def newsletters_sent_between(start: datetime.date, end: datetime.date) -> QuerySet:
    """Newsletters that went out in a period (inclusive), in Stockholm dates."""
    return Newsletter.objects.filter(
        state=Newsletter.State.SENT, sent_at__date__gte=start, sent_at__date__lte=end
    )


def newsletters_sent_in_year(year: int) -> int:
    return newsletters_sent_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31)).count()


def month_has_newsletter(day: datetime.date) -> bool:
    """Has the month of `day` a newsletter sent, on its way, or scheduled?"""
    S = Newsletter.State
    return Newsletter.objects.filter(
        Q(state=S.SENT, sent_at__year=day.year, sent_at__month=day.month)
        | Q(state__in=[S.SENDING, S.PAUSED])
        | Q(state=S.SCHEDULED, send_at__year=day.year, send_at__month=day.month)
    ).exists()


def communication_officers(year: int | None = None) -> list[Member]:
    """This year's kommunikationsansvarig (usually one)."""
    return list(
        Member.objects.filter(
            board_assignments__year=year or current_year(),
            board_assignments__function=BoardFunction.COMMUNICATION,
        )
        .exclude(email="")
        .distinct()
    )


def newsletter_list() -> QuerySet:
    return Newsletter.objects.select_related("created_by", "district", "mail_send")


def archive_for_member(member: Member) -> QuerySet:
    """Sent newsletters a member may read: those to all members, and to their district.
    Letters to the board only, or to new members only, stay out of the archive."""
    A = Newsletter.Audience
    return Newsletter.objects.filter(
        Q(audience=A.ALL) | Q(audience=A.DISTRICT, district_id=member.district_id),
        state=Newsletter.State.SENT,
    ).order_by("-sent_at", "-pk")
