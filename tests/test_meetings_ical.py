"""The iCalendar feeds, parsed back and checked field by field."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.models import CalendarFeed, Kind, Meeting
from meetings.services import local
from tests.factories import DistrictFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory

STOCKHOLM = ZoneInfo("Europe/Stockholm")
pytestmark = pytest.mark.django_db


def events(response) -> dict:
    calendar = Calendar.from_ical(response.content)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_public_feed_holds_open_meetings_field_by_field_across_a_dst_change(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    storvik = DistrictFactory(name="Storvik")
    # Sweden goes to summer time on 26 March 2023: 18:30 is UTC+1 before and UTC+2 after.
    before = MeetingFactory(
        title="Före sommartid",
        starts_at=local(datetime.date(2023, 3, 22), datetime.time(18, 30)),
        ends_at=local(datetime.date(2023, 3, 22), datetime.time(20, 30)),
        district=storvik,
        address="Bygdegården",
    )
    after = MeetingFactory(
        title="Efter sommartid",
        starts_at=local(datetime.date(2023, 3, 29), datetime.time(18, 30)),
        ends_at=local(datetime.date(2023, 3, 29), datetime.time(20, 30)),
        district=None,
        address="",
        video_url="https://meet.example.org/c",
    )
    MeetingFactory(title="Styrelsen", kind=Kind.BOARD)
    MeetingFactory(title="Bara föreslaget", status=Meeting.Status.PROPOSED)

    response = client.get(reverse("meetings:feed"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Stockholm"]
    found = events(response)
    assert set(found) == {"Före sommartid", "Efter sommartid"}
    first, second = found["Före sommartid"], found["Efter sommartid"]
    assert first["UID"] == f"{before.uid}@kretsportalen"
    assert first["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert first["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=1)
    assert second["DTSTART"].dt.utcoffset() == datetime.timedelta(hours=2)
    assert first["DTSTART"].dt.astimezone(STOCKHOLM).time() == datetime.time(18, 30)
    assert second["DTSTART"].dt.astimezone(STOCKHOLM).time() == datetime.time(18, 30)
    assert first["DTSTART"].dt == before.starts_at
    assert first["DTEND"].dt == before.ends_at
    assert str(first["LOCATION"]) == "Bygdegården, Storvik"
    assert str(second["LOCATION"]) == "https://meet.example.org/c"
    assert str(first["URL"]) == f"https://portal.example.org/moten/{before.pk}/"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert first["SEQUENCE"] == 0
    assert second["UID"] == f"{after.uid}@kretsportalen"


def test_a_change_raises_sequence_keeps_uid_and_cancelling_marks_it_cancelled(client):
    meeting = MeetingFactory(title="Kretsmöte")
    uid = events(client.get(reverse("meetings:feed")))["Kretsmöte"]["UID"]

    services.meeting_update(
        actor=None,
        meeting=meeting,
        changes={"starts_at": meeting.starts_at + datetime.timedelta(hours=1)},
    )
    services.meeting_set_status(actor=None, meeting=meeting, status=Meeting.Status.CANCELLED)

    event = events(client.get(reverse("meetings:feed")))["Kretsmöte"]
    assert event["UID"] == uid
    assert event["SEQUENCE"] == 2
    assert str(event["STATUS"]) == "CANCELLED"


def test_saving_without_a_visible_change_keeps_sequence():
    meeting = MeetingFactory()
    services.meeting_update(actor=None, meeting=meeting, changes={"title": meeting.title})
    assert meeting.sequence == 0


def test_unchanged_feed_answers_304_to_etag_and_to_last_modified(client):
    meeting = MeetingFactory()
    first = client.get(reverse("meetings:feed"))
    assert first["ETag"] and first["Last-Modified"]

    by_etag = client.get(reverse("meetings:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(reverse("meetings:feed"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_date.status_code == 304

    services.meeting_update(actor=None, meeting=meeting, changes={"title": "Nytt namn"})
    changed = client.get(reverse("meetings:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_etag_changes_when_a_meeting_enters_the_feed(client):
    MeetingFactory()
    first = client.get(reverse("meetings:feed"))
    MeetingFactory()
    second = client.get(reverse("meetings:feed"), HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200


def test_feed_query_count_does_not_grow_with_the_number_of_meetings(
    client, django_assert_num_queries
):
    for _ in range(3):
        MeetingFactory()
    with django_assert_num_queries(2):
        client.get(reverse("meetings:feed"))
    for _ in range(30):
        MeetingFactory()
    with django_assert_num_queries(2):
        response = client.get(reverse("meetings:feed"))
    assert len(events(response)) == 33
    with django_assert_num_queries(1):  # a 304 is one aggregate query
        client.get(reverse("meetings:feed"), HTTP_IF_NONE_MATCH=response["ETag"])


def test_private_feed_holds_what_the_person_may_see_and_stops_when_revoked(client, person):
    user = person("uppdrag")
    InvitationFactory(
        member=user.member,
        meeting=MeetingFactory(title="Fullmäktigegruppen", kind=Kind.COUNCIL_GROUP),
    )
    MeetingFactory(title="Styrelsemöte", kind=Kind.BOARD)
    MeetingFactory(title="Kretsmöte")
    client.force_login(user)
    client.get(reverse("meetings:feeds"))
    old_url = reverse(
        "meetings:private_feed", kwargs={"token": CalendarFeed.objects.get(user=user).token}
    )
    client.logout()

    response = client.get(old_url)
    assert set(events(response)) == {"Fullmäktigegruppen", "Kretsmöte"}
    assert "private" in response["Cache-Control"]

    client.force_login(user)
    client.post(reverse("meetings:feeds"))
    client.logout()
    assert client.get(old_url).status_code == 404
    new_url = reverse(
        "meetings:private_feed", kwargs={"token": CalendarFeed.objects.get(user=user).token}
    )
    assert client.get(new_url).status_code == 200


def test_board_meeting_ics_is_not_public(client):
    board = MeetingFactory(kind=Kind.BOARD)
    response = client.get(reverse("meetings:ics", kwargs={"pk": board.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_single_meeting_ics_holds_that_meeting(client):
    meeting = MeetingFactory(title="Debattkväll", kind=Kind.DEBATE)
    response = client.get(reverse("meetings:ics", kwargs={"pk": meeting.pk}))
    assert list(events(response)) == ["Debattkväll"]
    assert 'filename="mote-' in response["Content-Disposition"]
