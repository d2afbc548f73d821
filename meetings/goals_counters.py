"""What the meetings app counts for the goals (see goals/registry.py).

A meeting counts as held when it is decided (beslutad), not cancelled, and has ended.
"""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register

from .models import TRAINING_KINDS, Kind, Meeting
from .services import STOCKHOLM


def _held(kinds, start: datetime.date, end: datetime.date) -> int:
    """Held meetings of these kinds that started within [start, end] (Stockholm dates)."""
    return (
        Meeting.objects.held()
        .filter(
            kind__in=kinds,
            starts_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=STOCKHOLM),
            starts_at__lt=datetime.datetime.combine(
                end + datetime.timedelta(days=1), datetime.time.min, tzinfo=STOCKHOLM
            ),
        )
        .count()
    )


def _records(kind: str = ""):
    def url(start: datetime.date, end: datetime.date) -> str:
        query = f"?tidigare=1&typ={kind}" if kind else "?tidigare=1"
        return f"{reverse('meetings:index')}{query}"

    return url


register(
    Counter(
        key="meetings.trainings_held",
        label=_("Utbildningar och politikerskolor genomförda"),
        count=lambda start, end: _held(TRAINING_KINDS, start, end),
        records_url=_records(),
    )
)
register(
    Counter(
        key="meetings.politikerskola_held",
        label=_("Politikerskolor genomförda"),
        count=lambda start, end: _held([Kind.POLITICIANS_SCHOOL], start, end),
        records_url=_records(Kind.POLITICIANS_SCHOOL),
    )
)
register(
    Counter(
        key="meetings.chapter_meetings_held",
        label=_("Kretsmöten genomförda"),
        count=lambda start, end: _held([Kind.CHAPTER], start, end),
        records_url=_records(Kind.CHAPTER),
    )
)
