"""The mail engine with its real parts: a Celery worker process (prefork) on Redis, PostgreSQL,
and an SMTP server on loopback. Skipped without REDIS_URL or on SQLite (see the fixture)."""

import datetime
import time
from collections import Counter

import pytest
from django.utils import timezone

from krets.mail.models import Delivery, MailSend, Suppression
from krets.mail.services import mail_reconcile
from newsletters import services, tasks
from newsletters.models import Newsletter

pytestmark = pytest.mark.integration


def wait_until(condition, timeout: float = 60.0, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def state_of(newsletter: Newsletter) -> str:
    return Newsletter.objects.values_list("state", flat=True).get(pk=newsletter.pk)


def test_send_completes_and_every_recipient_gets_exactly_one(
    celery_worker_process, smtp_server, newsletter, consenting_members, settings
):
    settings.MAIL_CHUNK_SIZE = 40
    members = consenting_members(150)
    assert services.newsletter_start(actor=None, newsletter_id=newsletter.pk)

    wait_until(lambda: state_of(newsletter) == "skickad", what="the newsletter to be sent")
    assert sorted(smtp_server.recipients) == sorted(m.email for m in members)
    assert Delivery.objects.filter(state=Delivery.State.SENT).count() == 150


def test_a_killed_workers_chunk_is_resumed_and_nobody_is_lost(
    celery_worker_process, smtp_server, newsletter, consenting_members, settings
):
    settings.MAIL_CHUNK_SIZE = 300
    members = consenting_members(600)
    assert services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    wait_until(lambda: len(smtp_server.envelopes) >= 40, what="the first mail")
    celery_worker_process.kill()  # SIGKILL, in the middle of a chunk
    assert len(smtp_server.envelopes) < 600
    assert Delivery.objects.filter(state=Delivery.State.SENDING).exists()  # claimed, orphaned

    celery_worker_process.start()
    # The beat job, as it runs a stall period later.
    mail_reconcile(now=timezone.now() + datetime.timedelta(seconds=settings.MAIL_STALL_SECONDS + 1))

    wait_until(lambda: state_of(newsletter) == "skickad", what="the rest to be sent")
    received = Counter(smtp_server.recipients)
    assert set(received) == {m.email for m in members}  # lost: none
    assert sum(received.values()) - len(received) <= 2  # one kill: at most one per process


def test_temporary_refusal_is_retried_and_permanent_one_failed_and_suppressed(
    celery_worker_process, smtp_server, newsletter, consenting_members
):
    ok, busy, gone = consenting_members(3)
    smtp_server.answer(busy.email, 452, "Mailbox full, try later")
    smtp_server.answer(gone.email, 550, "No such user")
    assert services.newsletter_start(actor=None, newsletter_id=newsletter.pk)

    def settled():
        return not Delivery.objects.filter(state__in=["pending", "sending"]).exists()

    wait_until(settled, what="the first attempt")
    assert Delivery.objects.get(email=busy.email).state == Delivery.State.DEFERRED
    assert Delivery.objects.get(email=gone.email).state == Delivery.State.FAILED
    assert Suppression.objects.filter(email=gone.email, reason="bounce").exists()

    smtp_server.accept(busy.email)
    mail_reconcile(now=timezone.now() + datetime.timedelta(minutes=2))  # the backoff is over
    wait_until(lambda: state_of(newsletter) == "skickad", what="the retry")
    assert smtp_server.recipients == [ok.email, busy.email]
    assert Delivery.objects.get(email=busy.email).attempts == 2


def test_scheduler_run_twice_by_the_worker_sends_once(
    celery_worker_process, smtp_server, newsletter, consenting_members
):
    members = consenting_members(5)
    services.newsletter_schedule(
        actor=None, newsletter=newsletter, send_at=timezone.now() + datetime.timedelta(seconds=1)
    )
    time.sleep(1.1)
    tasks.newsletters_dispatch_due.delay()
    tasks.newsletters_dispatch_due.delay()
    wait_until(lambda: state_of(newsletter) == "skickad", what="the scheduled newsletter")
    time.sleep(0.5)  # give a second send, were there one, the time to arrive
    assert MailSend.objects.count() == 1
    assert sorted(smtp_server.recipients) == sorted(m.email for m in members)
