"""What the meetings app counts for the goals (see goals/registry.py).

A meeting counts as held when it is decided (beslutad), not cancelled, and has ended.
"""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from .models import TRAINING_KINDS, Invitation, Kind, Meeting
from .services import STOCKHOLM


def _held_meetings(kinds, start: datetime.date, end: datetime.date):
    """Held meetings of these kinds that started within [start, end] (Stockholm dates)."""
    return Meeting.objects.held().filter(
        kind__in=kinds,
        starts_at__gte=datetime.datetime.combine(start, datetime.time.min, tzinfo=STOCKHOLM),
        starts_at__lt=datetime.datetime.combine(
            end + datetime.timedelta(days=1), datetime.time.min, tzinfo=STOCKHOLM
        ),
    )


def _held(kinds, start: datetime.date, end: datetime.date) -> int:
    return _held_meetings(kinds, start, end).count()


def _chapter_meetings_by_district(start: datetime.date, end: datetime.date) -> dict[str, int]:
    rows = (
        _held_meetings([Kind.CHAPTER], start, end)
        .values("district__name")
        .annotate(n=Count("id"))
        .order_by("district__name")
    )
    return {row["district__name"] or str(_("Ingen kommundel")): row["n"] for row in rows}


def _training_participants(start: datetime.date, end: datetime.date) -> int:
    """People who attended held trainings in the period, each training counted per person."""
    return Invitation.objects.filter(
        meeting__in=_held_meetings(TRAINING_KINDS, start, end), attended=True
    ).count()


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
        records_permission=Perm.MEETINGS_VIEW,
        report_order=20,
    )
)
register(
    Counter(
        key="meetings.politikerskola_held",
        label=_("Politikerskolor genomförda"),
        count=lambda start, end: _held([Kind.POLITICIANS_SCHOOL], start, end),
        records_url=_records(Kind.POLITICIANS_SCHOOL),
        records_permission=Perm.MEETINGS_VIEW,
        report_order=40,
    )
)
register(
    Counter(
        key="meetings.chapter_meetings_held",
        label=_("Kretsmöten genomförda"),
        count=lambda start, end: _held([Kind.CHAPTER], start, end),
        records_url=_records(Kind.CHAPTER),
        by_district=_chapter_meetings_by_district,
        records_permission=Perm.MEETINGS_VIEW,
        report_order=10,
    )
)
register(
    Counter(
        key="meetings.training_participants",
        label=_("Deltagare i utbildningar"),
        count=_training_participants,
        records_url=_records(),
        records_permission=Perm.MEETINGS_VIEW,
        report_order=30,
    )
)
