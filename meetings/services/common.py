"""What the meetings services share: Sandviken's clock and the error a rule raises."""

import datetime
from zoneinfo import ZoneInfo

from krets.errors import Invalid

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# What a calendar client shows: a change to any of these raises the SEQUENCE.
CALENDAR_FIELDS = frozenset(
    {
        "kind",  # CATEGORIES
        "title",
        "description",
        "starts_at",
        "ends_at",
        "district",
        "address",
        "video_url",
        "status",
    }
)
CHAPTER_MEETING_TIME = (datetime.time(18, 30), datetime.time(20, 30))
BOARD_MEETING_TIME = (datetime.time(17, 0), datetime.time(18, 15))
COUNCIL_GROUP_TIME = (datetime.time(18, 0), datetime.time(20, 0))


class MeetingError(Invalid):
    """A rule refused the change; the message is for the user."""


def local(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A wall-clock time in Sandviken, with the right offset on either side of a DST change."""
    return datetime.datetime.combine(day, time, tzinfo=STOCKHOLM)
