"""What the meetings app counts for the goals (see goals/registry.py).

A meeting counts as held when it is decided (beslutad), not cancelled, and has ended. Each
figure links to exactly the rows it counts (meetings/records.py: one query for both).
"""

import datetime

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from goals.registry import Counter, register
from krets.rights import Perm

from . import records
from .models import TRAINING_KINDS, Kind


def _held(kinds, start: datetime.date, end: datetime.date) -> int:
    return records.held_meetings(kinds, start, end).count()


# The by_district name of meetings with no district; its link asks for kommundel="".
NO_DISTRICT = _("Ingen kommundel")


def _chapter_meetings_by_district(start: datetime.date, end: datetime.date) -> dict[str, int]:
    rows = (
        records.held_meetings([Kind.CHAPTER], start, end)
        .values("district__name")
        .annotate(n=Count("id"))
        .order_by("district__name")
    )
    return {row["district__name"] or str(NO_DISTRICT): row["n"] for row in rows}


def _chapter_meetings_district_url(start: datetime.date, end: datetime.date, district: str) -> str:
    name = "" if district == str(NO_DISTRICT) else district
    return records.records_url("meetings:records_held", [Kind.CHAPTER], start, end, district=name)


def _training_participants(start: datetime.date, end: datetime.date) -> int:
    """People present at held trainings in the period, each training counted per person,
    walk-ins and guests included."""
    return records.attendance_count(records.held_meetings(TRAINING_KINDS, start, end))


def _held_url(kinds):
    return lambda start, end: records.records_url("meetings:records_held", kinds, start, end)


register(
    Counter(
        key="meetings.trainings_held",
        label=_("Utbildningar och politikerskolor genomförda"),
        count=lambda start, end: _held(TRAINING_KINDS, start, end),
        records_url=_held_url(TRAINING_KINDS),
        records_permission=Perm.MEETINGS_VIEW,
        report_order=20,
    )
)
register(
    Counter(
        key="meetings.politikerskola_held",
        label=_("Politikerskolor genomförda"),
        count=lambda start, end: _held([Kind.POLITICIANS_SCHOOL], start, end),
        records_url=_held_url([Kind.POLITICIANS_SCHOOL]),
        records_permission=Perm.MEETINGS_VIEW,
        report_order=40,
    )
)
register(
    Counter(
        key="meetings.chapter_meetings_held",
        label=_("Kretsmöten genomförda"),
        count=lambda start, end: _held([Kind.CHAPTER], start, end),
        records_url=_held_url([Kind.CHAPTER]),
        by_district=_chapter_meetings_by_district,
        district_records_url=_chapter_meetings_district_url,
        records_permission=Perm.MEETINGS_VIEW,
        report_order=10,
    )
)
register(
    Counter(
        key="meetings.training_participants",
        label=_("Deltagare i utbildningar"),
        count=_training_participants,
        records_url=lambda start, end: records.records_url(
            "meetings:records_attended", TRAINING_KINDS, start, end
        ),
        records_permission=Perm.MEMBERS_NAMES,
        report_order=30,
    )
)
