"""The records behind the goals' meeting figures: the same query counts them and lists them,
so a figure and the rows behind its link cannot differ.

A meeting counts as held when it is decided (beslutad), not cancelled, and has ended; it
belongs to the period its start falls in (Sandviken's dates)."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from .models import Invitation, Meeting, WalkIn
from .services.common import STOCKHOLM


def held_meetings(
    kinds, start: datetime.date, end: datetime.date, *, district: str | None = None
) -> QuerySet[Meeting]:
    """Held meetings of these kinds that started within [start, end]; `district` a name
    ("" for meetings without one)."""
    meetings = Meeting.objects.held().filter(
        kind__in=list(kinds),
        starts_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=STOCKHOLM),
        starts_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=STOCKHOLM
        ),
    )
    if district is not None:
        meetings = (
            meetings.filter(district__name=district)
            if district
            else meetings.filter(district__isnull=True)
        )
    return meetings


@dataclass(frozen=True)
class Attendance:
    meeting: Meeting
    name: str
    invited: bool


def attendance_at(meetings: QuerySet[Meeting]) -> list[Attendance]:
    """Everyone recorded present at these meetings, once per meeting: ticked invitations,
    members who walked in, and guests by name."""
    invited = Invitation.objects.filter(meeting__in=meetings, attended=True).select_related(
        "meeting", "member"
    )
    walked = WalkIn.objects.filter(meeting__in=meetings).select_related("meeting", "member")
    rows = [Attendance(i.meeting, i.member.full_name, True) for i in invited]
    rows += [Attendance(w.meeting, str(w), False) for w in walked]
    return sorted(rows, key=lambda row: (row.meeting.starts_at, row.meeting.pk, row.name))


def attendance_count(meetings: QuerySet[Meeting]) -> int:
    """The same people as attendance_at, in one query (the annual report counts it): distinct
    ids, so the two joins do not multiply each other."""
    counts = Meeting.objects.filter(pk__in=meetings.values("pk")).aggregate(
        ticked=Count("invitations", filter=Q(invitations__attended=True), distinct=True),
        walked=Count("walk_ins", distinct=True),
    )
    return (counts["ticked"] or 0) + (counts["walked"] or 0)


def records_url(
    name: str, kinds, start: datetime.date, end: datetime.date, district: str | None = None
) -> str:
    """The link a goal figure opens: that period, those kinds, that district."""
    query = [("fran", start.isoformat()), ("till", end.isoformat())]
    query += [("typ", kind) for kind in sorted(kinds)]
    if district is not None:
        query.append(("kommundel", district))
    return f"{reverse(name)}?{urlencode(query)}"


def parse_period(params) -> tuple[datetime.date, datetime.date]:
    """`fran`/`till` from a query string; this year where absent or unreadable."""
    today = timezone.localdate()
    try:
        start = datetime.date.fromisoformat(params.get("fran", ""))
    except ValueError:
        start = datetime.date(today.year, 1, 1)
    try:
        end = datetime.date.fromisoformat(params.get("till", ""))
    except ValueError:
        end = datetime.date(start.year, 12, 31)
    return start, max(start, end)
