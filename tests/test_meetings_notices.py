"""Moving or cancelling a meeting mails everyone invited who has not declined, once, with an
updated .ics (same UID, higher SEQUENCE, STATUS:CANCELLED when cancelled); invitations carry
the .ics too. Sent through the engine (tasks in process) to the real SMTP server fixture, and
every attachment read back with vobject."""

import datetime

import pytest
import vobject
from django.urls import reverse

from krets.mail.models import MailSend
from meetings import services
from meetings.ical import meeting_uid
from meetings.models import Invitation, Meeting
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import InvitationFactory, MeetingFactory
from tests.test_meetings_calendar_changes import edit_form

pytestmark = [pytest.mark.django_db(transaction=True)]

STOCKHOLM = services.STOCKHOLM


def the_ics(message):
    """The one text/calendar attachment of a mail, read with vobject through its VTIMEZONE."""
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename().endswith(".ics")
    body = part.get_content()
    body = body if isinstance(body, str) else body.decode()
    registry = vars(vobject.icalendar)["__tzidMap"]
    for tzid in [tzid for tzid in registry if tzid != "UTC"]:
        del registry[tzid]
    calendar = vobject.readOne(body)
    assert calendar.method.value == "PUBLISH"
    [event] = calendar.vevent_list
    start = event.dtstart.value
    assert type(start.tzinfo).__module__.startswith("dateutil")
    return {
        "uid": event.uid.value,
        "sequence": int(event.sequence.value),
        "status": event.status.value,
        "start": start,
        "wall": start.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M"),
    }


@pytest.fixture
def invited(tasks_in_process, smtp_server):
    """A meeting on 5 April 2027 18:30 (summer time) with three invited: one coming, one who
    has not answered, one who declined; and one member never invited."""
    day = datetime.date(2027, 4, 5)
    meeting = MeetingFactory(
        title="Kretsmöte i Järbo & fika",
        starts_at=datetime.datetime.combine(day, datetime.time(18, 30), tzinfo=STOCKHOLM),
        ends_at=datetime.datetime.combine(day, datetime.time(20, 30), tzinfo=STOCKHOLM),
        address="Järbo bygdegård",
    )
    people = {
        "coming": MemberFactory(first_name="Greta", email="greta@example.org"),
        "silent": MemberFactory(first_name="Olle", email="olle@example.org"),
        "declined": MemberFactory(first_name="Nils", email="nils@example.org"),
    }
    InvitationFactory(
        meeting=meeting, member=people["coming"], sent_at=meeting.created_at, reply="ja"
    )
    InvitationFactory(meeting=meeting, member=people["silent"], sent_at=meeting.created_at)
    InvitationFactory(
        meeting=meeting,
        member=people["declined"],
        sent_at=meeting.created_at,
        reply=Invitation.Reply.NO,
    )
    MemberFactory(email="never@example.org")
    return meeting, smtp_server


def test_a_move_through_the_edit_form_mails_each_invitee_once_with_the_new_ics(invited, client_as):
    meeting, smtp = invited
    client = client_as(BoardFunction.SECRETARY)
    edit = reverse("meetings:edit", kwargs={"pk": meeting.pk})

    response = client.post(edit, edit_form(meeting, starts_at="2027-04-05T19:00"))
    assert response.status_code == 302
    smtp.wait_for(2)
    # Saving again with no change, and running the notice again, send nothing more.
    client.post(edit, edit_form(Meeting.objects.get(pk=meeting.pk)))
    meeting.refresh_from_db()
    services.meeting_notices_send(meeting=meeting, changed={"starts_at"}, before={})

    assert sorted(smtp.recipients) == ["greta@example.org", "olle@example.org"]
    for message in smtp.messages:
        assert message["Subject"].strip() == "Ändrat: Kretsmöte i Järbo & fika 5 april"
        text = message.get_body(("plain",)).get_content()
        assert "Ny tid (var mån 5 april 2027 18:30–20:30)." in text
        assert "mån 5 april 2027 19:00–20:30" in text
        assert f"/moten/{meeting.pk}/kalender/" in text  # the signed link, no login
        event = the_ics(message)
        assert event["uid"] == meeting_uid(meeting)
        assert event["sequence"] == meeting.sequence == 1
        assert event["status"] == "CONFIRMED"
        assert event["wall"] == "2027-04-05 19:00"
    assert MailSend.objects.filter(kind="meetings.notice").count() == 1


def test_a_place_change_says_where_it_was(invited):
    meeting, smtp = invited
    services.meeting_update(actor=None, meeting=meeting, changes={"address": "Folkets hus"})
    smtp.wait_for(2)
    text = smtp.messages[0].get_body(("plain",)).get_content()
    assert "Ny plats (var Järbo bygdegård" in text and "Folkets hus" in text


def test_a_cancel_mails_each_invitee_once_with_a_cancelled_ics(invited, client_as):
    meeting, smtp = invited
    client = client_as(BoardFunction.SECRETARY)
    status = reverse("meetings:status", kwargs={"pk": meeting.pk})

    client.post(status, {"status": Meeting.Status.CANCELLED, "confirm": "1"})
    smtp.wait_for(2)
    client.post(status, {"status": Meeting.Status.CANCELLED, "confirm": "1"})  # again: nothing

    assert sorted(smtp.recipients) == ["greta@example.org", "olle@example.org"]
    meeting.refresh_from_db()
    for message in smtp.messages:
        assert message["Subject"].strip() == "Inställt: Kretsmöte i Järbo & fika 5 april"
        html = message.get_body(("html",)).get_content()
        assert "Kretsmöte i Järbo &amp; fika" in html
        event = the_ics(message)
        assert event["uid"] == meeting_uid(meeting)
        assert event["sequence"] == meeting.sequence >= 1
        assert event["status"] == "CANCELLED"
        assert event["wall"] == "2027-04-05 18:30"


def test_a_change_nobody_sees_in_a_calendar_sends_no_notice(invited):
    meeting, smtp = invited
    services.meeting_update(actor=None, meeting=meeting, changes={"description": "Ny text"})
    assert not MailSend.objects.filter(kind="meetings.notice").exists()


def test_the_invitation_carries_the_ics_and_a_signed_calendar_link(tasks_in_process, smtp_server):
    MemberFactory(email="greta@example.org")
    meeting = MeetingFactory(title="Budgetmöte")

    assert services.invitations_send(actor=None, meeting=meeting) == 1

    [message] = smtp_server.wait_for(1)
    event = the_ics(message)
    assert event["uid"] == meeting_uid(meeting) and event["sequence"] == 0
    assert event["start"] == meeting.starts_at
    assert f"/moten/{meeting.pk}/kalender/" in message.get_body(("plain",)).get_content()
