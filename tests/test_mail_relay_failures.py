"""Suppress people, not the relay: only a 5xx to one address's RCPT TO suppresses that
address. A server that fails for everyone (at its banner, at AUTH, at MAIL FROM, at DATA, no
connection, a timeout) makes the send wait and try again with back-off, suppresses nobody,
and the one who started it sees why. Against the real SMTP server fixture."""

import datetime
import socket

import pytest
from django.urls import reverse
from django.utils import timezone

from krets.mail.models import Delivery, MailSend, Suppression
from krets.mail.services import mail_reconcile
from meetings import services
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

ADDRESSES = ["anna@example.org", "bo@example.org", "cilla@example.org"]


@pytest.fixture
def board_meeting(tasks_in_process, smtp_server):
    for address in ADDRESSES:
        MemberFactory(email=address)
    return MeetingFactory(title="Styrelsemöte")


def suppressed() -> set[str]:
    return set(Suppression.objects.values_list("email", flat=True))


def test_a_refused_rcpt_to_suppresses_that_one_address_only(board_meeting, smtp_server):
    smtp_server.answer("bo@example.org", 550, "No such user")

    services.invitations_send(actor=None, meeting=board_meeting)

    smtp_server.wait_for(2)
    assert sorted(smtp_server.recipients) == ["anna@example.org", "cilla@example.org"]
    assert suppressed() == {"bo@example.org"}
    assert Suppression.objects.get().detail.startswith("550 No such user")
    send = MailSend.objects.get()
    assert send.state == MailSend.State.DONE and send.relay_error == ""


@pytest.mark.parametrize(
    "stage, code",
    [("connect", 554), ("auth", 535), ("mail", 550), ("data", 554), ("data", 451)],
)
def test_a_server_failing_for_everyone_suppresses_nobody_and_the_send_waits_then_resumes(
    board_meeting, smtp_server, settings, client_as, stage, code
):
    settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = "portal", "hemligt"
    client = client_as(BoardFunction.SECRETARY)
    smtp_server.fail_at(stage, code, "Service unavailable")

    client.post(reverse("meetings:invite", kwargs={"pk": board_meeting.pk}))

    send = MailSend.objects.get()
    assert suppressed() == set()
    assert smtp_server.recipients == []
    assert send.state == MailSend.State.WAITING
    assert send.relay_error.startswith(str(code))
    assert send.retry_at > timezone.now()
    assert set(send.deliveries.values_list("state", flat=True)) == {Delivery.State.PENDING}
    # Whoever started it sees it on their overview and on the meeting's page.
    overview = client.get(reverse("overview")).content.decode()
    assert "Väntar på e-postservern" in overview and "Service unavailable" in overview
    page = client.get(reverse("meetings:detail", kwargs={"pk": board_meeting.pk}))
    assert "Service unavailable" in page.content.decode()

    # Before its time the reconciler leaves it; after it, the send resumes and finishes.
    mail_reconcile(now=timezone.now())
    assert MailSend.objects.get().state == MailSend.State.WAITING
    smtp_server.recover()
    mail_reconcile(now=send.retry_at + datetime.timedelta(seconds=1))

    everyone = sorted(send.deliveries.values_list("email", flat=True))  # the secretary too
    assert set(ADDRESSES) < set(everyone)
    smtp_server.wait_for(len(everyone))
    assert sorted(smtp_server.recipients) == everyone
    send.refresh_from_db()
    assert send.state == MailSend.State.DONE and send.relay_error == ""
    assert suppressed() == set()
    assert "Service unavailable" not in client.get(reverse("overview")).content.decode()


def test_a_second_failure_waits_longer(board_meeting, smtp_server):
    smtp_server.fail_at("mail", 550)
    services.invitations_send(actor=None, meeting=board_meeting)
    first = MailSend.objects.get()
    mail_reconcile(now=first.retry_at + datetime.timedelta(seconds=1))
    second = MailSend.objects.get()
    assert second.relay_failures == 2
    assert second.retry_at - timezone.now() > first.retry_at - first.created_at
    assert suppressed() == set()


def test_no_connection_and_a_timeout_suppress_nobody(board_meeting, settings):
    # Nothing listens on this port: the connection is refused.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    services.invitations_send(actor=None, meeting=board_meeting)
    send = MailSend.objects.get()
    assert send.state == MailSend.State.WAITING and "Connection" in send.relay_error

    # A server that accepts the connection and never says a word: a timeout.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 1
        mail_reconcile(now=send.retry_at + datetime.timedelta(seconds=1))
    send.refresh_from_db()
    assert send.state == MailSend.State.WAITING and "timed out" in send.relay_error.lower()
    assert send.relay_failures == 2
    assert suppressed() == set()
