"""What a calendar sees when a meeting changes: SEQUENCE and DTSTAMP from the edit form and
from "Ställ in", the cancelled meeting's `.ics`, the kit it releases, the signed calendar link
a mail carries, and titles that would break a naive `.ics`."""

import datetime

import pytest
import time_machine
import vobject
from django.urls import reverse
from icalendar import Calendar

from meetings import services
from meetings.ical import meeting_ics_bytes, meeting_ics_token, meeting_ics_url
from meetings.models import Kind, KitBooking, Meeting
from meetings.services import local
from members.models import BoardFunction
from members.tokens import MEETING_REPLY, member_token
from tests.factories import DistrictFactory, MemberFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def the_event(body: bytes):
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    return event


def ics(client, meeting):
    response = client.get(reverse("meetings:ics", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    return the_event(response.content)


def edit_form(meeting: Meeting, **changes) -> dict:
    data = {
        "kind": meeting.kind,
        "title": meeting.title,
        "starts_at": f"{meeting.starts_at.astimezone(services.STOCKHOLM):%Y-%m-%dT%H:%M}",
        "ends_at": f"{meeting.ends_at.astimezone(services.STOCKHOLM):%Y-%m-%dT%H:%M}",
        "district": meeting.district_id or "",
        "address": meeting.address,
        "video_url": meeting.video_url,
        "status": meeting.status,
        "description": meeting.description,
        "agenda": "",
    }
    data.update(changes)
    return data


def test_sequence_and_dtstamp_rise_with_each_visible_change_through_the_edit_form(client_as):
    day = datetime.date(2027, 4, 5)
    meeting = MeetingFactory(
        title="Kretsmöte i Järbo",
        starts_at=local(day, datetime.time(18, 30)),
        ends_at=local(day, datetime.time(20, 30)),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        updated_at=datetime.datetime(2026, 1, 10, 9, tzinfo=datetime.UTC)
    )
    client = client_as(BoardFunction.SECRETARY)
    before = ics(client, meeting)
    assert before["SEQUENCE"] == 0
    edit = reverse("meetings:edit", kwargs={"pk": meeting.pk})

    response = client.post(edit, edit_form(meeting, starts_at="2027-04-05T19:00"))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", kwargs={"pk": meeting.pk})
    moved = ics(client, meeting)
    assert moved["SEQUENCE"] == 1
    assert moved["UID"] == before["UID"]
    assert moved["DTSTAMP"].dt > before["DTSTAMP"].dt
    assert moved["DTSTART"].dt == local(day, datetime.time(19, 0))

    # Saving the form again without a change is no news to a calendar.
    meeting.refresh_from_db()
    client.post(edit, edit_form(meeting))
    assert ics(client, meeting)["SEQUENCE"] == 1

    for change in (
        {"address": "Järbo bygdegård"},
        {"title": "Kretsmöte i Järbo om skolan"},
        {"description": "Vi pratar om skolvägen."},
        {"status": Meeting.Status.PROPOSED},
    ):
        meeting.refresh_from_db()
        sequence = meeting.sequence
        response = client.post(edit, edit_form(meeting, **change))
        assert response.status_code == 302, change
        assert ics(client, meeting)["SEQUENCE"] == sequence + 1, change


def test_stall_in_raises_sequence_marks_it_cancelled_and_releases_the_kit(client_as):
    meeting = MeetingFactory(video_url="https://meet.example.org/k")
    services.kit_book(
        actor=None,
        member=MemberFactory(),
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        meeting=meeting,
    )
    client = client_as(BoardFunction.SECRETARY)
    before = ics(client, meeting)

    client.post(
        reverse("meetings:status", kwargs={"pk": meeting.pk}),
        {"status": "installd", "confirm": "1"},
    )

    after = the_event(meeting_ics_bytes(Meeting.objects.get(pk=meeting.pk)))
    assert after["UID"] == before["UID"]
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert str(after["STATUS"]) == "CANCELLED"
    assert not KitBooking.objects.exists()
    # The slot is free for someone else.
    services.kit_book(
        actor=None, member=MemberFactory(), starts_at=meeting.starts_at, ends_at=meeting.ends_at
    )


def test_signed_calendar_link_opens_that_meetings_ics_without_login_and_nothing_else(client):
    invitation = InvitationFactory(meeting=MeetingFactory(kind=Kind.BOARD, title="Styrelsemöte"))
    other = MeetingFactory(kind=Kind.BOARD, title="Annat styrelsemöte")
    url = meeting_ics_url(invitation.meeting, invitation.member)
    path = url.removeprefix("http://127.0.0.1:8000")
    assert url.startswith("http") and path.startswith(f"/moten/{invitation.meeting_id}/kalender/")

    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "private" in response["Cache-Control"]
    assert str(the_event(response.content)["SUMMARY"]) == "Styrelsemöte"
    # Without the signature the same meeting asks for a login.
    plain = client.get(reverse("meetings:ics", kwargs={"pk": invitation.meeting_id}))
    assert plain.status_code == 302

    token = meeting_ics_token(invitation.meeting, invitation.member_id)
    elsewhere = reverse("meetings:signed_ics", kwargs={"pk": other.pk, "token": token})
    assert client.get(elsewhere).status_code == 404
    reply_token = member_token(
        invitation.member_id, MEETING_REPLY, extra=str(invitation.meeting_id)
    )
    other_purpose = reverse(
        "meetings:signed_ics", kwargs={"pk": invitation.meeting_id, "token": reply_token}
    )
    assert client.get(other_purpose).status_code == 404
    assert client.get(path[:-8] + "xx" + path[-6:]).status_code == 404
    with time_machine.travel(datetime.timedelta(days=401)):
        assert client.get(path).status_code == 404


def test_ics_bytes_for_a_cancelled_meeting_keep_the_uid_with_a_higher_sequence():
    meeting = MeetingFactory()
    first = the_event(meeting_ics_bytes(meeting))
    services.meeting_set_status(actor=None, meeting=meeting, status=Meeting.Status.CANCELLED)
    cancelled = vobject.readOne(meeting_ics_bytes(meeting).decode()).vevent
    assert cancelled.uid.value == str(first["UID"])
    assert int(cancelled.sequence.value) == first["SEQUENCE"] + 1
    assert cancelled.status.value == "CANCELLED"


def test_form_refuses_a_title_with_a_line_break_in_swedish(client_as):
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(
        reverse("meetings:create"),
        {
            "kind": Kind.CHAPTER,
            "title": "Budgetmöte\r\nkväll",
            "starts_at": "2030-05-06T18:00",
            "ends_at": "2030-05-06T20:00",
            "district": DistrictFactory().pk,
            "status": "beslutad",
        },
    )
    assert response.status_code == 200
    assert "Rubriken ska vara en enda rad" in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Budgetmöte & <b>skatter</b> 'ja' \"nej\"", "Budgetmöte & <b>skatter</b> 'ja' \"nej\""),
        ("Budgetmöte\nkväll", "Budgetmöte kväll"),
        (
            "Rad ett\r\n\r\nrad två; med, komma\\snedstreck",
            "Rad ett rad två; med, komma\\snedstreck",
        ),
    ],
)
def test_titles_with_breaks_and_special_characters_give_a_readable_ics(client, title, shown):
    """Written by the admin or an import, not the form: folded to one line, never a 500."""
    meeting = MeetingFactory(
        kind=Kind.DEBATE, title=title, description="Först & sist <alla>\n" + "lång text " * 40
    )
    for url in (
        reverse("meetings:ics", kwargs={"pk": meeting.pk}),
        reverse("meetings:feed"),
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content
        # RFC 5545 §3.1: no line longer than 75 octets; longer ones are folded.
        assert max(len(line) for line in body.split(b"\r\n")) <= 75
        assert b"&amp;" not in body and b"&lt;" not in body
        summaries = [e.summary.value for e in vobject.readOne(body.decode()).vevent_list]
        assert summaries == [shown]
        assert "Först & sist <alla>" in vobject.readOne(body.decode()).vevent.description.value
