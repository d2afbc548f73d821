"""Who is invited, the invitation mail, the reply link without login, counts, attendance and
the training participant CSV."""

import csv
import datetime
import io
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from krets.celery import app
from krets.models import AuditEvent
from meetings import services, tasks
from meetings.mail_kinds import reply_url
from meetings.models import Invitation, Kind, Meeting
from members.models import BoardFunction, PartyPosition
from members.tokens import MEETING_REPLY, SELF_SERVICE, member_token
from tests.factories import (
    BoardAssignmentFactory,
    BodyAssignmentFactory,
    MemberFactory,
)
from tests.fixtures.meetings import InvitationFactory, MeetingFactory, in_days, matter_with_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def eager_celery():
    """Tasks queued on commit run at once in this process."""
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def invited_ids(meeting) -> set[int]:
    return set(meeting.invitations.values_list("member_id", flat=True))


@pytest.fixture
def chapter():
    """A member, a board member, an elected representative, the kommunalråd, one who left."""
    people = {
        "member": MemberFactory(),
        "board": BoardAssignmentFactory(year=in_days(7).year).member,
        "elected": BodyAssignmentFactory().member,
        "commissioner": MemberFactory(),
        "left": MemberFactory(left_on=datetime.date(2020, 1, 1)),
    }
    PartyPosition.objects.create(
        member=people["commissioner"],
        kind=PartyPosition.Kind.COMMISSIONER,
        starts_on=datetime.date(2023, 1, 1),
    )
    return people


@pytest.mark.parametrize(
    "kind, invited",
    [
        (Kind.CHAPTER, {"member", "board", "elected", "commissioner"}),
        (Kind.BOARD, {"board"}),
        (Kind.COUNCIL_GROUP, {"elected", "commissioner"}),
        (Kind.POLITICIANS_SCHOOL, set()),  # trainings: only registered participants
    ],
)
def test_who_is_invited_follows_from_the_kind(
    chapter, kind, invited, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(kind=kind)
    with django_capture_on_commit_callbacks():
        services.invitations_send(actor=None, meeting=meeting)
    assert invited_ids(meeting) == {chapter[name].pk for name in invited}


def test_training_invites_its_registered_participants(chapter, django_capture_on_commit_callbacks):
    school = MeetingFactory(kind=Kind.POLITICIANS_SCHOOL, topic="politik")
    services.participant_register(actor=None, meeting=school, member=chapter["member"])
    with django_capture_on_commit_callbacks():
        services.invitations_send(actor=None, meeting=school)
    assert invited_ids(school) == {chapter["member"].pk}


def test_invitation_mail_has_text_html_and_a_reply_link(
    eager_celery, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    member = MemberFactory(first_name="Greta", email="greta@example.org")
    meeting = MeetingFactory(title="Kretsmöte i Storvik")

    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=None, meeting=meeting)

    [message] = mail.outbox
    invitation = Invitation.objects.get(member=member)
    assert message.to == ["greta@example.org"]
    assert message.subject.startswith("Inbjudan: Kretsmöte i Storvik")
    assert "Hej Greta!" in message.body
    assert reply_url(invitation) in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and reply_url(invitation) in html
    assert reply_url(invitation).startswith("https://portal.example.org/moten/")


def test_sending_twice_mails_each_person_once(eager_celery, django_capture_on_commit_callbacks):
    MemberFactory()
    meeting = MeetingFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=None, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(actor=None, meeting=meeting) == 0
    assert len(mail.outbox) == 1


def test_reminder_job_reminds_once_and_skips_those_who_declined(
    eager_celery, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(starts_at=in_days(1), ends_at=in_days(1, hour=20))
    coming = InvitationFactory(meeting=meeting, sent_at=meeting.created_at)
    InvitationFactory(meeting=meeting, sent_at=meeting.created_at, reply=Invitation.Reply.NO)
    InvitationFactory(
        meeting=MeetingFactory(starts_at=in_days(10), ends_at=in_days(10, 20)),
        sent_at=meeting.created_at,
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_due_reminders.apply().get() == 1
        assert tasks.send_due_reminders.apply().get() == 0
    [message] = mail.outbox
    assert message.to == [coming.member.email]
    assert message.subject.startswith("Påminnelse:")


def test_reply_link_works_without_login_and_counts_show_on_the_meeting(client, client_as):
    invitation = InvitationFactory()
    url = urlsplit(reply_url(invitation)).path

    page = client.get(url)
    assert page.status_code == 200
    assert invitation.meeting.title in page.content.decode()
    client.post(url, {"svar": "ja"})

    invitation.refresh_from_db()
    assert invitation.reply == Invitation.Reply.YES
    secretary = client_as(BoardFunction.SECRETARY)
    detail = secretary.get(reverse("meetings:detail", kwargs={"pk": invitation.meeting_id}))
    assert "1 inbjudna: 1 kommer, 0 kommer inte, 0 har inte svarat." in detail.content.decode()


@pytest.mark.parametrize(
    "make_token",
    [
        lambda inv: "forged:token:value",
        lambda inv: member_token(inv.member_id, SELF_SERVICE, extra=str(inv.meeting_id)),
        lambda inv: member_token(inv.member_id, MEETING_REPLY, extra=str(inv.meeting_id + 1)),
        lambda inv: (
            member_token(inv.member_id, MEETING_REPLY, extra=str(inv.meeting_id))[:-2] + "xx"
        ),
    ],
    ids=["forged", "other-purpose", "other-meeting", "tampered"],
)
def test_forged_reply_link_is_refused(client, make_token):
    invitation = InvitationFactory()
    url = reverse(
        "meetings:reply", kwargs={"pk": invitation.meeting_id, "token": make_token(invitation)}
    )
    assert client.get(url).status_code == 404
    assert client.post(url, {"svar": "ja"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_reply_to_a_cancelled_meeting_is_refused(client):
    invitation = InvitationFactory(meeting=MeetingFactory(status=Meeting.Status.CANCELLED))
    client.post(urlsplit(reply_url(invitation)).path, {"svar": "ja"})
    invitation.refresh_from_db()
    assert invitation.reply == ""


def test_secretary_records_attendance(client_as):
    meeting = MeetingFactory(starts_at=in_days(0, hour=0))  # began at midnight
    present, absent = InvitationFactory(meeting=meeting), InvitationFactory(meeting=meeting)
    client = client_as(BoardFunction.SECRETARY)
    client.post(
        reverse("meetings:attendance", kwargs={"pk": meeting.pk}), {"attended": [present.pk]}
    )
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)


def test_attendance_page_queries_do_not_grow_with_invitations(
    client_as, django_assert_max_num_queries
):
    meeting = MeetingFactory()
    client = client_as(BoardFunction.SECRETARY)
    for _ in range(25):
        InvitationFactory(meeting=meeting)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:attendance", kwargs={"pk": meeting.pk}))
    assert response.content.decode().count('name="attended"') == 25


def test_participant_csv_opens_in_swedish_excel(client_as):
    school = MeetingFactory(kind=Kind.POLITICIANS_SCHOOL, topic="politik")
    member = MemberFactory(
        first_name="Åsa", last_name="Öberg", town="Järbo", birth_date=datetime.date(1970, 1, 2)
    )
    # A name that a spreadsheet would run as a formula comes out as plain text.
    formula = MemberFactory(first_name="=HYPERLINK(1)", last_name="Ek", birth_date=None)
    services.participant_register(actor=None, meeting=school, member=member)
    services.participant_register(actor=None, meeting=school, member=formula)
    school.invitations.update(attended=True)
    client = client_as(BoardFunction.TRAINING)

    response = client.get(reverse("meetings:participants_csv", kwargs={"pk": school.pk}))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        ["Förnamn", "Efternamn", "Födelseår", "Ort", "E-post", "Närvarade"],
        ["'=HYPERLINK(1)", "Ek", "", formula.town, formula.email, "Ja"],  # sorted by surname
        ["Åsa", "Öberg", "1970", "Järbo", member.email, "Ja"],
    ]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.MEMBERS_EXPORTED).exists()


def test_training_officer_registers_a_participant_by_email(client_as):
    school = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap")
    member = MemberFactory(email="deltagare@example.org")
    client = client_as(BoardFunction.TRAINING)
    client.post(
        reverse("meetings:participants", kwargs={"pk": school.pk}),
        {"email": "DELTAGARE@example.org"},
    )
    assert invited_ids(school) == {member.pk}


def test_training_officer_takes_attendance_at_a_training_but_not_at_a_chapter_meeting(client_as):
    school = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap", starts_at=in_days(0, hour=0))
    participant = InvitationFactory(meeting=school)
    client = client_as(BoardFunction.TRAINING)

    client.post(
        reverse("meetings:attendance", kwargs={"pk": school.pk}), {"attended": [participant.pk]}
    )

    participant.refresh_from_db()
    assert participant.attended is True
    chapter = MeetingFactory()
    assert client.get(reverse("meetings:attendance", kwargs={"pk": chapter.pk})).status_code == 403


def test_decision_group_meeting_invites_the_group_of_its_matters(
    django_capture_on_commit_callbacks,
):
    group = [MemberFactory(), MemberFactory()]
    MemberFactory()  # not in the group
    meeting = MeetingFactory(kind=Kind.DECISION_GROUP)
    matter = matter_with_group(group)
    matter.meeting = meeting
    matter.save()
    with django_capture_on_commit_callbacks():
        services.invitations_send(actor=None, meeting=meeting)
    assert invited_ids(meeting) == {member.pk for member in group}
