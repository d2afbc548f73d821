"""The calendars as another reader sees them.

icalendar writes the feeds, so it cannot be the only judge: vobject resolves every time
through the feed's own VTIMEZONE (dateutil's tzical under it), as Thunderbird's engine does.
Every meeting must come out at its Swedish wall time, on both sides of the spring and autumn
changes, in several years, in the public feed, a private feed and a meeting's own `.ics`."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import vobject
from django.urls import reverse
from icalendar import Calendar, Event, Timezone

from meetings import services
from meetings.ical import TZID, vtimezone
from meetings.models import CalendarFeed, Kind
from meetings.selectors import public_meetings
from meetings.services import local
from members.models import District
from tests.fixtures.meetings import MeetingFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
YEARS = (2026, 2027, 2028)
pytestmark = pytest.mark.django_db


def last_sunday(year: int, month: int) -> datetime.date:
    day = datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)
    return day - datetime.timedelta(days=(day.weekday() - 6) % 7)


def wall_times() -> list[datetime.datetime]:
    """18:30 three days before, on the day of, and three days after each change, each year."""
    times = []
    for year in YEARS:
        for month in (3, 10):
            change = last_sunday(year, month)
            for shift in (-3, 0, 3):
                day = change + datetime.timedelta(days=shift)
                times.append(local(day, datetime.time(18, 30)))
    return times


def read_with_vobject(body: bytes) -> dict[str, datetime.datetime]:
    """UID → DTSTART as vobject resolves it, asserting it used the feed's own VTIMEZONE (a
    dateutil tzical zone) and not a zone it looked up by name."""
    # vobject keeps the first VTIMEZONE it ever read for a TZID, process-wide: forget earlier
    # files so that this one is read through its own definition.
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    calendar = vobject.readOne(body.decode())
    starts = {}
    for event in calendar.vevent_list:
        start = event.dtstart.value
        assert type(start.tzinfo).__module__.startswith("dateutil"), type(start.tzinfo)
        starts[event.uid.value] = start
    lines = body.decode().partition("BEGIN:VEVENT")[2].splitlines()  # after the VTIMEZONE
    for name in ("DTSTART", "DTEND"):
        written = [line for line in lines if line.startswith(f"{name}")]
        assert all(line.startswith(f"{name};TZID={TZID}:") for line in written), written
        assert len(written) == len(starts) or name == "DTEND"
    return starts


def assert_each_at_its_wall_time(body: bytes, meetings) -> None:
    starts = read_with_vobject(body)
    for meeting in meetings:
        seen = starts[f"{meeting.uid}@kretsportalen"]
        expected = meeting.starts_at.astimezone(STOCKHOLM)
        assert seen.astimezone(datetime.UTC) == meeting.starts_at, (meeting.title, seen)
        assert (seen.date(), seen.time()) == (expected.date(), datetime.time(18, 30))


@pytest.fixture
def meetings_around_the_changes(db):
    return [
        MeetingFactory(
            title=f"Kretsmöte {start:%Y-%m-%d}",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
        for start in wall_times()
    ]


def test_public_feed_shows_every_meeting_at_its_swedish_time_across_three_years(
    client, meetings_around_the_changes
):
    response = client.get(reverse("meetings:feed"))
    assert len(read_with_vobject(response.content)) == len(meetings_around_the_changes) == 18
    assert_each_at_its_wall_time(response.content, meetings_around_the_changes)


def test_private_feed_shows_every_meeting_at_its_swedish_time(
    client, person, meetings_around_the_changes
):
    feed = CalendarFeed.objects.create(user=person("ledamot"))
    response = client.get(reverse("meetings:private_feed", kwargs={"token": feed.token}))
    assert_each_at_its_wall_time(response.content, meetings_around_the_changes)


def test_each_meetings_own_ics_shows_it_at_its_swedish_time(client, meetings_around_the_changes):
    for meeting in meetings_around_the_changes:
        response = client.get(reverse("meetings:ics", kwargs={"pk": meeting.pk}))
        assert_each_at_its_wall_time(response.content, [meeting])


def test_the_vtimezone_is_the_yearly_rule_form_without_an_rdate_list(client):
    MeetingFactory()
    body = client.get(reverse("meetings:feed")).content
    text = body.decode()
    assert "RDATE" not in text
    (zone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    (standard,) = zone.walk("STANDARD")
    (daylight,) = zone.walk("DAYLIGHT")
    # RFC 5545 §3.6.5: the onset in the local time before the change (TZOFFSETFROM).
    assert standard["DTSTART"].dt == datetime.datetime(1970, 10, 25, 3, 0)
    assert daylight["DTSTART"].dt == datetime.datetime(1970, 3, 29, 2, 0)
    assert standard["TZOFFSETFROM"].td == datetime.timedelta(hours=2)
    assert standard["TZOFFSETTO"].td == datetime.timedelta(hours=1)
    assert daylight["TZOFFSETFROM"].td == datetime.timedelta(hours=1)
    assert daylight["TZOFFSETTO"].td == datetime.timedelta(hours=2)
    assert str(standard["TZNAME"]) == "CET" and str(daylight["TZNAME"]) == "CEST"
    assert standard["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert daylight["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert "DTSTART;TZID=Europe/Stockholm:" in text and "DTEND;TZID=Europe/Stockholm:" in text


def test_vobject_catches_the_rdate_form_we_no_longer_publish():
    """The judge can tell: with icalendar's own VTIMEZONE (a comma-joined RDATE list), vobject
    puts summer meetings after the first year an hour off. Ours it reads right."""
    times = wall_times()

    def calendar_with(zone) -> bytes:
        calendar = Calendar()
        calendar.add("prodid", "-//test//")
        calendar.add("version", "2.0")
        calendar.add_component(zone)
        for number, start in enumerate(times):
            event = Event()
            event.add("uid", str(number))
            event.add("dtstamp", datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
            event.add("dtstart", start)
            calendar.add_component(event)
        return calendar.to_ical()

    def wrong(body: bytes) -> int:
        starts = read_with_vobject(body)
        return sum(starts[str(n)].astimezone(datetime.UTC) != t for n, t in enumerate(times))

    rdate_form = Timezone.from_tzid(
        TZID, first_date=datetime.date(2026, 1, 1), last_date=datetime.date(2029, 1, 1)
    )
    assert wrong(calendar_with(rdate_form)) > 0
    assert wrong(calendar_with(vtimezone())) == 0


def test_thunderbird_finding_every_event_of_the_demo_public_feed_at_its_wall_time(
    client, settings, tasks_in_process, demo
):
    """The issue's finding: in the demo's public feed, with a year's planning added, 19 of 37
    events showed an hour late in a client reading the feed's VTIMEZONE."""
    settings.KRETS_REQUIRE_MFA = False
    districts = list(District.objects.all()[:3])
    services.year_plan_propose(
        actor=None,
        year=2027,
        dates=[
            (datetime.date(2027, month, day), districts[n % len(districts)])
            for n, (month, day) in enumerate(
                [(3, 3), (4, 5), (5, 10), (6, 7), (8, 16), (9, 8), (10, 13), (11, 10), (12, 8)]
            )
        ],
    )
    services.year_plan_decide(actor=None, year=2027)

    response = client.get(reverse("meetings:feed"))

    starts = read_with_vobject(response.content)
    public = list(public_meetings())
    assert len(starts) == len(public) >= 20
    summer = 0
    for meeting in public:
        seen = starts[f"{meeting.uid}@kretsportalen"]
        expected = meeting.starts_at.astimezone(STOCKHOLM)
        assert seen.astimezone(datetime.UTC) == meeting.starts_at, meeting.title
        assert seen.replace(tzinfo=None) == expected.replace(tzinfo=None), meeting.title
        summer += expected.utcoffset() == datetime.timedelta(hours=2)
    assert summer >= 10  # the events the old feed put an hour late
    # The example: the chapter meeting of 2027-04-05 at 18:30 showed 19:30.
    day = datetime.date(2027, 4, 5)
    april = [m for m in public if m.starts_at.astimezone(STOCKHOLM).date() == day]
    assert [starts[f"{m.uid}@kretsportalen"].strftime("%H:%M") for m in april] == ["18:30"]
    assert Kind.CHAPTER in {m.kind for m in april}
