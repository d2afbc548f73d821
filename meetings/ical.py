"""iCalendar (RFC 5545) for meetings, built with the `icalendar` package.

The feeds are checked with a reader other than the one that writes them (vobject, in
tests/test_meetings_ical.py): a calendar is right when a client resolving its times through
the feed's own VTIMEZONE shows every meeting at its Swedish wall time.
"""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from krets.templatetags.krets_format import sv_datetime, sv_time
from members.tokens import MEETING_CALENDAR, member_from_token, member_token

from .models import Kind, Meeting
from .services.common import STOCKHOLM

TZID = "Europe/Stockholm"
PRODID = "-//Centerpartiet i Sandviken//Kretsportalen//SV"
STATUS = {
    Meeting.Status.PROPOSED: "TENTATIVE",
    Meeting.Status.DECIDED: "CONFIRMED",
    Meeting.Status.CANCELLED: "CANCELLED",
}
# How long the signed calendar link in a mail keeps working.
CALENDAR_LINK_DAYS = 400


def vtimezone() -> Timezone:
    """Europe/Stockholm as Outlook and the tzurl.org set publish it: one STANDARD and one
    DAYLIGHT observance, each with a yearly RRULE (the EU rule since 1996: the last Sunday of
    March and of October at 01:00 UTC).

    RFC 5545 §3.6.5: an observance's DTSTART is the onset in the local time *before* the
    change, the offset named by TZOFFSETFROM: 02:00 at +0100 in spring, 03:00 at +0200 in
    autumn. We do not publish icalendar's `Timezone.from_tzid()`/`add_missing_timezones()`
    form: its comma-joined RDATE list is read only up to its first date by common clients
    (Thunderbird, vobject), which then show every later summer meeting an hour off."""
    standard = TimezoneStandard()
    standard.add("dtstart", datetime.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", datetime.timedelta(hours=2))
    standard.add("tzoffsetto", datetime.timedelta(hours=1))
    standard.add("tzname", "CET")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", datetime.timedelta(hours=1))
    daylight.add("tzoffsetto", datetime.timedelta(hours=2))
    daylight.add("tzname", "CEST")
    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    zone.add_component(standard)
    zone.add_component(daylight)
    return zone


def meeting_uid(meeting: Meeting) -> str:
    return f"{meeting.uid}@kretsportalen"


def one_line(text: str) -> str:
    """Titles are single lines; one that got a line break anyway (the admin, an import) is
    folded into spaces rather than sent as a SUMMARY that some clients cut at the break."""
    return " ".join(text.split())


def when_text(meeting: Meeting) -> str:
    """`sön 13 dec 2026 18:30–20:30`, in Swedish time whatever zone the reader's calendar
    shows the event in."""
    starts = meeting.starts_at.astimezone(STOCKHOLM)
    ends = meeting.ends_at.astimezone(STOCKHOLM)
    end = sv_time(ends) if ends.date() == starts.date() else sv_datetime(ends)
    return f"{sv_datetime(starts)}–{end}"


def meeting_event(meeting: Meeting, kind_labels: dict[str, str] | None = None) -> Event:
    event = Event()
    event.add("uid", meeting_uid(meeting))
    # DTSTAMP and LAST-MODIFIED follow every save, SEQUENCE every change a calendar shows
    # (services.meeting_update): a client keeps the copy with the highest pair.
    event.add("dtstamp", meeting.updated_at.astimezone(datetime.UTC))
    event.add("created", meeting.created_at.astimezone(datetime.UTC))
    event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    event.add("sequence", meeting.sequence)
    # Local times with TZID=Europe/Stockholm (the ZoneInfo's key), resolved by the VTIMEZONE.
    event.add("dtstart", meeting.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", meeting.ends_at.astimezone(STOCKHOLM))
    event.add("summary", one_line(meeting.title))
    event.add("status", STATUS[meeting.status])
    labels = kind_labels or {value: str(label) for value, label in Kind.choices}
    event.add("categories", [labels[meeting.kind]])
    event.add("url", f"{settings.SITE_URL}{reverse('meetings:detail', kwargs={'pk': meeting.pk})}")
    if meeting.location:
        event.add("location", meeting.location)
    elif meeting.video_url:
        event.add("location", meeting.video_url)
    parts = (when_text(meeting), meeting.description, meeting.video_url)
    event.add("description", "\n\n".join(part for part in parts if part))
    return event


def calendar_bytes(meetings: Sequence[Meeting], *, name: str, method: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:  # iMIP: a mailed calendar object says what it is for (RFC 6047 §2.4)
        calendar.add("method", method)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(vtimezone())
    kind_labels = {value: str(label) for value, label in Kind.choices}  # translated once
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, kind_labels))
    return calendar.to_ical()


def meeting_ics_bytes(meeting: Meeting, *, method: str = "") -> bytes:
    """One meeting as an `.ics` file: what the meeting's calendar link serves, and what an
    invitation or a notice attaches (same UID; SEQUENCE and STATUS as the meeting has now).
    A mailed copy passes `method="PUBLISH"` (see meetings/mail_kinds.py for why PUBLISH)."""
    return calendar_bytes([meeting], name=meeting.title, method=method)


def meeting_ics_filename(meeting: Meeting) -> str:
    return f"mote-{meeting.pk}.ics"


def meeting_ics_token(meeting: Meeting, member_id: int) -> str:
    return member_token(member_id, MEETING_CALENDAR, extra=str(meeting.pk))


def meeting_ics_url(meeting: Meeting, person) -> str:
    """The absolute link a mail gives `person` (a Member) to this meeting's `.ics`: signed for
    that person and meeting, so it opens without logging in and opens nothing else."""
    path = reverse(
        "meetings:signed_ics",
        kwargs={"pk": meeting.pk, "token": meeting_ics_token(meeting, person.pk)},
    )
    return f"{settings.SITE_URL}{path}"


def meeting_from_ics_token(pk: int, token: str) -> Meeting | None:
    """The meeting a signed calendar link opens, or None (forged, expired, another meeting's
    link, or a link made for another purpose)."""
    member = member_from_token(
        token, MEETING_CALENDAR, max_age_days=CALENDAR_LINK_DAYS, extra=str(pk)
    )
    if member is None:
        return None
    return Meeting.objects.select_related("district").filter(pk=pk).first()
