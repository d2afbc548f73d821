"""Reads about newsletters: who a letter goes to, what was sent, what a member may read."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from krets.mail.models import Delivery
from members.dates import months_before
from members.models import BoardAssignment, Member
from members.selectors import current_year

from .models import Newsletter

MONTHLY_TARGET = 12


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


def newsletter_reach(year: int) -> list[dict]:
    """Each newsletter sent in a year with how many it went to and how many the mail server
    took, oldest first, in one query. Opens are not counted: the letters carry no tracking."""
    S = Delivery.State
    return list(
        newsletters_sent_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .annotate(
            recipients=Count("mail_send__deliveries"),
            delivered=Count("mail_send__deliveries", filter=Q(mail_send__deliveries__state=S.SENT)),
        )
        .order_by("sent_at", "pk")
        .values("pk", "subject", "sent_at", "recipients", "delivered")
    )


def _month_filter(day: datetime.date) -> Q:
    S = Newsletter.State
    return (
        Q(state=S.SENT, sent_at__year=day.year, sent_at__month=day.month)
        | Q(state__in=[S.SENDING, S.PAUSED])
        | Q(state=S.SCHEDULED, send_at__year=day.year, send_at__month=day.month)
    )


def month_has_newsletter(day: datetime.date) -> bool:
    """Has the month of `day` a newsletter sent, on its way, or scheduled?"""
    return Newsletter.objects.filter(_month_filter(day)).exists()


def year_and_month_status(day: datetime.date) -> tuple[int, bool]:
    """(newsletters sent in the year of `day`, has its month one) in one query: the overview."""
    sent_in_year = Q(
        state=Newsletter.State.SENT,
        sent_at__date__gte=datetime.date(day.year, 1, 1),
        sent_at__date__lte=datetime.date(day.year, 12, 31),
    )
    counts = Newsletter.objects.aggregate(
        sent=Count("pk", filter=sent_in_year), month=Count("pk", filter=_month_filter(day))
    )
    return counts["sent"], counts["month"] > 0


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
