"""Every mail writes dates the Swedish way (lower-case months: "13 dec 2026", "5 okt"),
through the same krets_format filters as the pages."""

import datetime

import pytest
from django.core import mail

from krets.mail.kinds import Recipient
from krets.mail.services import mail_send_start
from meetings.services import STOCKHOLM
from members.models import BoardFunction
from tests.factories import BoardAssignmentFactory, MemberFactory

from .fixtures.goals import ThemeDocumentFactory
from .fixtures.meetings import InvitationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def _send(kind, recipients, params, capture):
    with capture(execute=True):
        mail_send_start(kind=kind, key=f"datum:{kind}", recipients=recipients, params=params)
    [message] = mail.outbox
    return message


def test_meeting_invitation(django_capture_on_commit_callbacks):
    start = datetime.datetime(2026, 10, 5, 18, 30, tzinfo=STOCKHOLM)
    invitation = InvitationFactory(
        meeting__title="Kretsmöte",
        meeting__starts_at=start,
        meeting__ends_at=start + datetime.timedelta(hours=2),
    )
    recipient = Recipient(
        invitation.member.email, invitation.member_id, {"invitation_id": invitation.pk}
    )
    message = _send("meetings.invitation", [recipient], {}, django_capture_on_commit_callbacks)
    assert message.subject == "Inbjudan: Kretsmöte 5 okt"
    assert "När: mån 5 okt 2026 18:30–20:30" in message.body
    assert "När: mån 5 okt 2026 18:30–20:30" in message.alternatives[0][0]


def test_document_published(django_capture_on_commit_callbacks):
    from goals.models import DocumentEvent

    document = ThemeDocumentFactory(published_on=datetime.date(2026, 12, 13))
    event = DocumentEvent.objects.create(document=document, kind="publicerad")
    recipient = Recipient("kommunikation@example.org")
    message = _send(
        "goals.document_published",
        [recipient],
        {"event_id": event.pk},
        django_capture_on_commit_callbacks,
    )
    assert "den 13 dec 2026." in message.body


def test_newsletter_reminder_names_the_month(django_capture_on_commit_callbacks):
    member = MemberFactory()
    BoardAssignmentFactory(member=member, function=BoardFunction.COMMUNICATION)
    recipient = Recipient(member.email, member.pk, {"first_name": member.first_name})
    message = _send(
        "newsletters.reminder",
        [recipient],
        {"month": "2026-05"},
        django_capture_on_commit_callbacks,
    )
    assert "Månaden maj 2026 har ännu inget nyhetsbrev" in message.body
