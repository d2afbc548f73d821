"""Workers that fail loudly (issue 13, item 9): no database or broker, no "ready"; a database
error retries with back-off; a link mail that cannot be queued is reported as not sent."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from krets.celery import app as celery_app
from krets.mail.models import Delivery, MailSend
from krets.models import AuditEvent
from tests.factories import MemberFactory
from tests.fixtures.celery_worker import database_url

ROOT = Path(__file__).resolve().parents[1]


def run_worker(**env_overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="krets.settings", PYTHONUNBUFFERED="1", **env_overrides)
    command = [sys.executable, "-m", "celery", "-A", "krets", "worker", "--pool=solo"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=INFO"]
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90, check=False
    )


def test_worker_pointed_at_a_missing_database_exits_non_zero_without_reporting_ready():
    result = run_worker(DATABASE_URL="postgres://postgres@127.0.0.1:5432/krets_no_such_database")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert " ready." not in output
    assert "cannot reach its database" in output


@pytest.mark.django_db
def test_worker_with_an_unreachable_broker_exits_non_zero_without_reporting_ready():
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: the worker must reach the test database")
    result = run_worker(
        DATABASE_URL=database_url(connection.settings_dict), REDIS_URL="redis://127.0.0.1:1/0"
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-3000:]
    assert " ready." not in output
    assert "cannot reach its broker" in output


calls = {"n": 0}


@celery_app.task(name="tests.flaky_database")
def flaky_database() -> str:
    calls["n"] += 1
    if calls["n"] <= 2:
        raise OperationalError("server closed the connection unexpectedly")
    return "klar"


@pytest.mark.django_db
def test_task_that_hits_a_database_error_is_retried(monkeypatch):
    # As a worker runs it: the error is not raised to the caller, the retry runs again.
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)
    calls["n"] = 0
    result = flaky_database.apply()
    assert result.get() == "klar"
    assert calls["n"] == 3


def refuse_broker(monkeypatch) -> None:
    """A broker that refuses connections, as Redis does when it is down (a real connection
    attempt to a closed port, not a mock)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", "redis://127.0.0.1:1/0")
    monkeypatch.setitem(celery_app.conf, "broker_write_url", None)
    monkeypatch.setitem(celery_app.conf, "broker_connection_timeout", 1)
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)


def broker_back(monkeypatch) -> None:
    """The broker answers again (tasks run in this process from here on)."""
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)


@pytest.mark.django_db(transaction=True)  # autocommit: the task is queued at once, as in production
def test_link_mail_that_cannot_be_queued_is_reported_as_not_sent(client_as, settings, monkeypatch):
    refuse_broker(monkeypatch)
    member = MemberFactory(email="anna@example.org")
    client = client_as("medlemsansvarig")
    response = client.post(reverse("members:send_link", args=[member.pk]), follow=True)
    page = response.content.decode()
    assert "Länken kunde inte skickas: e-postkön svarar inte just nu." in page
    assert "skickas till anna@example.org" not in page
    assert not AuditEvent.objects.filter(detail__self_service_link="sent").exists()
    # Nothing will surprise the member later: the send is cancelled, not left "skickas".
    assert list(MailSend.objects.values_list("state", flat=True)) == [MailSend.State.CANCELLED]


def _resume_after_the_wait(send: MailSend) -> None:
    from krets.mail.services import mail_reconcile

    send.refresh_from_db()
    mail_reconcile(now=send.retry_at + datetime.timedelta(seconds=1))


@pytest.mark.django_db(transaction=True)
def test_a_newsletter_started_while_the_broker_is_down_says_so_and_loses_nothing(
    client_as, consenting_members, monkeypatch, mailoutbox
):
    from newsletters.models import Newsletter

    consenting_members(3)
    newsletter = Newsletter.objects.create(subject="Höstbrev", body="Hej!")
    refuse_broker(monkeypatch)

    response = client_as("kommunikationsansvarig").post(
        reverse("newsletters:send", args=[newsletter.pk]), {"confirm": "1"}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "e-postkön svarar inte just nu" in page and "Inget har gått förlorat" in page
    assert "Nyhetsbrevet skickas." not in page
    assert "Väntar på e-postkön" in page  # the progress box says what it waits for, and until when
    assert "Nytt försök" in page
    newsletter.refresh_from_db()
    send = newsletter.mail_send
    assert newsletter.state == Newsletter.State.SENDING
    assert send.state == MailSend.State.WAITING and send.retry_at is not None
    assert send.deliveries.filter(state=Delivery.State.PENDING).count() == 3
    assert mailoutbox == []

    # The broker is back: the reconciler (the beat job) resumes the send, nobody clicks again.
    broker_back(monkeypatch)
    _resume_after_the_wait(send)
    assert sorted(len(m.to) for m in mailoutbox) == [1, 1, 1]
    assert send.deliveries.filter(state=Delivery.State.SENT).count() == 3
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.SENT


@pytest.mark.django_db(transaction=True)
def test_meeting_invitations_and_invoices_while_the_broker_is_down_get_a_message_not_an_error(
    client_as, monkeypatch, mailoutbox
):
    from dues.models import DuesInvoice
    from meetings.models import Invitation
    from tests.fixtures.dues import invoice_for
    from tests.fixtures.meetings import MeetingFactory

    meeting = MeetingFactory()
    invitee = MemberFactory(email="bo@example.org")
    Invitation.objects.create(meeting=meeting, member=invitee)
    invoice = invoice_for(MemberFactory(email="cia@example.org"))
    DuesInvoice.objects.filter(pk=invoice.pk).update(sent_at=None)
    refuse_broker(monkeypatch)

    invited = client_as("ordforande").post(
        reverse("meetings:invite", args=[meeting.pk]), {"confirm": "1"}, follow=True
    )
    sent = invited.client.post(
        reverse("dues:invoice_send", args=[invoice.pk]), {"confirm": "1"}, follow=True
    )

    for response in (invited, sent):
        assert response.status_code == 200
        assert "E-postkön svarar inte just nu." in response.content.decode()
    invoice.refresh_from_db()
    assert invoice.sent_at is not None  # the hand-over is recorded: nothing is sent twice
    sends = MailSend.objects.all()
    assert {s.state for s in sends} == {MailSend.State.WAITING} and len(sends) == 2

    broker_back(monkeypatch)
    _resume_after_the_wait(max(sends, key=lambda send: send.retry_at))  # one run resumes both
    delivered = {m.to[0] for m in mailoutbox}
    assert {"bo@example.org", "cia@example.org"} <= delivered
    assert not Delivery.objects.exclude(state=Delivery.State.SENT).exists()
    assert DuesInvoice.objects.get(pk=invoice.pk).sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_saw_the_broker_refuse_still_resumes_the_send_later(
    consenting_members, monkeypatch, mailoutbox, person
):
    """As in a worker thread that lives on: the reconciler runs while the broker is still down,
    then again once it is back; the send must go out the second time."""
    from newsletters.models import Newsletter
    from newsletters.services import newsletter_start

    consenting_members(2)
    newsletter = Newsletter.objects.create(subject="Vinterbrev", body="Hej!")
    refuse_broker(monkeypatch)
    newsletter_start(actor=person("kommunikationsansvarig"), newsletter_id=newsletter.pk)
    send = Newsletter.objects.get(pk=newsletter.pk).mail_send
    assert send.state == MailSend.State.WAITING

    _resume_after_the_wait(send)  # the broker is still down: it waits again, longer
    send.refresh_from_db()
    assert send.state == MailSend.State.WAITING and send.relay_failures == 2

    broker_back(monkeypatch)
    _resume_after_the_wait(send)
    assert len(mailoutbox) == 2
    assert Newsletter.objects.get(pk=newsletter.pk).state == Newsletter.State.SENT
