"""iCalendar (RFC 5545) for meetings, built with the `icalendar` package."""

import datetime
from collections.abc import Sequence
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, Timezone

from .models import Kind, Meeting
from .services import STOCKHOLM

TZID = "Europe/Stockholm"
PRODID = "-//Centerpartiet i Sandviken//Kretsportalen//SV"
STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.DECIDED: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}


@lru_cache(maxsize=32)
def vtimezone(first_year: int, last_year: int) -> Timezone:
    """Europe/Stockholm's transitions for the years the calendar covers."""
    return Timezone.from_tzid(
        TZID,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@kretsportalen"


def meeting_event(meeting: Meeting, kind_labels: dict[str, str] | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", meeting.updated_at.astimezone(datetime.UTC))
    event.add("created", meeting.created_at.astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    event.add("summary", meeting.title)
    event.add("status", STATUS[meeting.status])
    labels = kind_labels or {value: str(label) for value, label in Kind.choices}
    event.add("categories", [labels[meeting.kind]])
    event.add("url", f"{settings.SITE_URL}{reverse('meetings:detail', kwargs={'pk': meeting.pk})}")
    if meeting.location:
        event.add("location", meeting.location)
    elif meeting.video_url:
        event.add("location", meeting.video_url)
    description = "\n\n".join(part for part in (meeting.description, meeting.video_url) if part)
    if description:
        event.add("description", description)
    return event


def calendar_bytes(meetings: Sequence[Meeting], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    if meetings:
        years = [timezone.localtime(m.starts_at).year for m in meetings] + [
            timezone.localtime(m.ends_at).year for m in meetings
        ]
        calendar.add_component(vtimezone(min(years), max(years)))
    kind_labels = {value: str(label) for value, label in Kind.choices}  # translated once
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, kind_labels))
    return calendar.to_ical()
