"""The mail engine and the newsletters in one process: tasks run eagerly, mail goes to a real
SMTP server on loopback. The same paths with a real Celery worker: test_newsletters_worker.py."""

import datetime
from email.utils import parsedate_to_datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from krets.mail.kinds import Recipient
from krets.mail.models import Delivery, MailSend, Suppression
from krets.mail.services import mail_reconcile, mail_send_start
from members.models import BoardFunction
from members.tokens import (
    NEWSLETTER_ARCHIVE,
    SELF_SERVICE,
    UNSUBSCRIBE,
    member_from_token,
    member_token,
)
from newsletters import services
from newsletters.markup import markdown_to_html, markdown_to_text
from newsletters.models import Newsletter
from tests.factories import BoardAssignmentFactory, MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def start(newsletter, capture):
    with capture(execute=True):
        assert services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    newsletter.refresh_from_db()
    return newsletter


def test_send_reaches_every_consenting_member_exactly_once(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks, settings
):
    settings.MAIL_CHUNK_SIZE = 7  # several chunks, each on its own connection
    members = consenting_members(20)
    MemberFactory(newsletter_consent=False)  # no consent: not in the audience
    MemberFactory(newsletter_consent=True, left_on=datetime.date(2020, 1, 1))  # left

    newsletter = start(newsletter, django_capture_on_commit_callbacks)

    assert sorted(smtp_server.recipients) == sorted(m.email for m in members)
    assert newsletter.state == Newsletter.State.SENT
    assert newsletter.sent_at is not None
    assert newsletter.mail_send.deliveries.filter(state=Delivery.State.SENT).count() == 20


def test_received_newsletter_has_the_headers_mail_clients_need(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks, settings
):
    (member,) = consenting_members(1, first_name="Greta")
    start(newsletter, django_capture_on_commit_callbacks)

    (message,) = smtp_server.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"
    assert [part.get_content_type() for part in message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert message["From"] == settings.DEFAULT_FROM_EMAIL
    assert message["To"] == member.email
    assert message["Subject"] == "Nyheter från kretsen"
    assert message["Message-ID"].startswith("<krets.") and message["Message-ID"].endswith(
        "@example.org>"
    )
    assert abs(parsedate_to_datetime(message["Date"]) - timezone.now()) < datetime.timedelta(
        minutes=5
    )
    https, mailto = [link.strip(" <>") for link in message["List-Unsubscribe"].split(",")]
    prefix = settings.SITE_URL + reverse("newsletters:unsubscribe", args=["x"])[: -len("x/")]
    assert https.startswith(prefix)
    token = https.removeprefix(prefix).rstrip("/")
    assert member_from_token(token, UNSUBSCRIBE) == member  # the link unsubscribes this member
    assert mailto.startswith("mailto:krets@example.org?subject=")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hej Greta!" in text and "Hej Greta!" in html
    assert https in text  # the visible link, in both parts
    assert f'href="{https}"' in html
    assert "<strong>Välkommen</strong>" in html
    assert "\x00" not in text + html


def test_markdown_with_script_comes_out_sanitised():
    body = 'Hej <script>alert("x")</script>\n\n[klicka](javascript:alert(1)) <b onclick="x()">b</b>'
    html = markdown_to_html(body)
    assert "<script" not in html and "alert" not in html
    assert "javascript:" not in html and "onclick" not in html
    assert "<b>b</b>" in html
    assert "<script" not in markdown_to_text(body)


def test_script_in_newsletter_never_reaches_the_member(
    smtp_server, consenting_members, django_capture_on_commit_callbacks
):
    consenting_members(1)
    newsletter = Newsletter.objects.create(subject="Test", body="Hej<script>steal()</script>")
    start(newsletter, django_capture_on_commit_callbacks)
    (message,) = smtp_server.wait_for(1)
    assert "<script" not in message.get_body(("html",)).get_content()
    assert "<script" not in message.get_body(("plain",)).get_content()


def test_temporary_refusal_is_retried_and_permanent_one_suppressed(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    ok, busy, gone = consenting_members(3)
    smtp_server.answer(busy.email, 451)
    smtp_server.answer(gone.email, 550)
    newsletter = start(newsletter, django_capture_on_commit_callbacks)

    deliveries = {d.email: d for d in newsletter.mail_send.deliveries.all()}
    assert deliveries[ok.email].state == Delivery.State.SENT
    assert deliveries[busy.email].state == Delivery.State.DEFERRED
    assert deliveries[busy.email].error.startswith("451")
    assert deliveries[gone.email].state == Delivery.State.FAILED
    assert Suppression.objects.filter(email=gone.email).exists()
    assert newsletter.state == Newsletter.State.SENDING  # one mail still to go

    smtp_server.accept(busy.email)
    with django_capture_on_commit_callbacks(execute=True):
        mail_reconcile(now=timezone.now() + datetime.timedelta(minutes=2))
    newsletter.refresh_from_db()
    assert smtp_server.recipients == [ok.email, busy.email]
    assert newsletter.state == Newsletter.State.SENT

    # Every later send respects the suppression list.
    second = Newsletter.objects.create(subject="Nästa", body="Text")
    second = start(second, django_capture_on_commit_callbacks)
    assert gone.email not in smtp_server.recipients
    assert second.mail_send.deliveries.get(email=gone.email).state == Delivery.State.SKIPPED


def test_member_who_unsubscribes_after_the_audience_froze_is_skipped(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    stays, leaves = consenting_members(2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    services.newsletter_unsubscribe(member=leaves)  # between freezing and sending
    for callback in callbacks:
        callback()
    assert smtp_server.recipients == [stays.email]
    delivery = Delivery.objects.get(email=leaves.email)
    assert delivery.state == Delivery.State.SKIPPED


def test_unsubscribe_by_post_without_login_is_idempotent(client, consenting_members):
    (member,) = consenting_members(1)
    url = reverse("newsletters:unsubscribe", args=[member_token(member.pk, UNSUBSCRIBE)])
    for _ in range(2):
        # As a mail client sends it (RFC 8058): no session, no CSRF token.
        response = client.post(url, {"List-Unsubscribe": "One-Click"})
        assert response.status_code == 200
        member.refresh_from_db()
        assert member.newsletter_consent is False


def test_get_on_the_unsubscribe_link_only_shows_a_button(client, consenting_members):
    (member,) = consenting_members(1)
    url = reverse("newsletters:unsubscribe", args=[member_token(member.pk, UNSUBSCRIBE)])
    response = client.get(url)
    assert "Avregistrera mig" in response.content.decode()
    member.refresh_from_db()
    assert member.newsletter_consent is True


def test_unsubscribe_refuses_a_token_made_for_another_purpose(client, consenting_members):
    (member,) = consenting_members(1)
    url = reverse("newsletters:unsubscribe", args=[member_token(member.pk, SELF_SERVICE)])
    assert client.post(url).status_code == 404
    member.refresh_from_db()
    assert member.newsletter_consent is True


def test_scheduler_run_twice_starts_each_newsletter_once(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    consenting_members(3)
    services.newsletter_schedule(
        actor=None, newsletter=newsletter, send_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert services.newsletters_dispatch_due() == []  # not yet
    later = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.newsletters_dispatch_due(now=later) == [newsletter.pk]
        assert services.newsletters_dispatch_due(now=later) == []
    assert MailSend.objects.count() == 1
    assert Delivery.objects.count() == 3
    assert len(smtp_server.recipients) == 3


def test_starting_a_send_twice_with_one_key_writes_nothing_twice(
    smtp_server, django_capture_on_commit_callbacks
):
    recipients = [Recipient("a@example.org"), Recipient("A@example.org"), Recipient("b@x.org")]
    with django_capture_on_commit_callbacks(execute=True):
        first = mail_send_start(
            kind="newsletters.reminder",
            key="k",
            recipients=recipients,
            params={"month": "2026-11"},
        )
        second = mail_send_start(
            kind="newsletters.reminder",
            key="k",
            recipients=recipients,
            params={"month": "2026-11"},
        )
    assert first.pk == second.pk
    assert first.total == 2  # the same address in other case counts once
    assert sorted(smtp_server.recipients) == ["a@example.org", "b@x.org"]


def test_monthly_reminder_goes_once_to_the_communication_officer(
    smtp_server, django_capture_on_commit_callbacks
):
    officer = BoardAssignmentFactory(function=BoardFunction.COMMUNICATION).member
    day = timezone.localdate().replace(day=25)
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.newsletter_monthly_reminder(today=day.replace(day=3), reminder_day=20) is None
        )
        services.newsletter_monthly_reminder(today=day, reminder_day=20)
        services.newsletter_monthly_reminder(today=day, reminder_day=20)
    assert smtp_server.recipients == [officer.email]
    assert "nyhetsbrev" in smtp_server.messages[0]["Subject"]


def test_no_reminder_when_the_month_has_a_scheduled_newsletter(smtp_server, newsletter):
    BoardAssignmentFactory(function=BoardFunction.COMMUNICATION)
    now = timezone.localtime()
    services.newsletter_schedule(
        actor=None, newsletter=newsletter, send_at=now + datetime.timedelta(minutes=5)
    )
    assert services.newsletter_monthly_reminder(today=now.date(), reminder_day=1) is None


def test_pause_holds_mail_back_and_resume_sends_the_rest(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    consenting_members(4)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    newsletter.refresh_from_db()
    assert services.newsletter_pause(actor=None, newsletter=newsletter)
    for task in queued:
        task()  # the chunk tasks run while paused: they send nothing
    assert smtp_server.recipients == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.newsletter_resume(actor=None, newsletter=newsletter)
    newsletter.refresh_from_db()
    assert len(smtp_server.recipients) == 4
    assert newsletter.state == Newsletter.State.SENT


def test_cancel_stops_what_has_not_gone_out(
    smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    consenting_members(3)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    newsletter.refresh_from_db()
    assert services.newsletter_cancel(actor=None, newsletter=newsletter)
    for task in queued:
        task()
    newsletter.refresh_from_db()
    assert smtp_server.recipients == []
    assert newsletter.state == Newsletter.State.CANCELLED
    assert set(newsletter.mail_send.deliveries.values_list("state", flat=True)) == {"cancelled"}


def test_reconciler_gives_a_dead_workers_claim_to_another(
    smtp_server, consenting_members, newsletter, django_capture_on_commit_callbacks
):
    consenting_members(3)
    with django_capture_on_commit_callbacks(execute=False):
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)  # its tasks are lost
    # A worker claimed the rows and died.
    Delivery.objects.update(state=Delivery.State.SENDING, claim="dead", claimed_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert mail_reconcile()["stalled"] == 0  # too early to call it dead
        assert len(smtp_server.recipients) == 0
        result = mail_reconcile(now=timezone.now() + datetime.timedelta(minutes=10))
    assert result["stalled"] == 3
    assert len(smtp_server.recipients) == 3


def test_test_send_goes_only_to_the_writer(
    client, person, smtp_server, newsletter, consenting_members, django_capture_on_commit_callbacks
):
    consenting_members(2)
    user = person(BoardFunction.COMMUNICATION)
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletters:test_send", args=[newsletter.pk]))
    assert response.status_code == 302
    assert smtp_server.recipients == [user.email]
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.DRAFT


def test_member_reads_the_archive_through_their_archive_link(client, newsletter):
    member = MemberFactory()
    newsletter.state, newsletter.sent_at = Newsletter.State.SENT, timezone.now()
    newsletter.save()
    Newsletter.objects.create(subject="Hemligt utkast", body="x")
    board_only = Newsletter.objects.create(
        subject="Bara styrelsen", body="x", audience="styrelsen", state="skickad"
    )
    token = member_token(member.pk, NEWSLETTER_ARCHIVE)
    page = client.get(reverse("newsletters:archive", args=[token])).content.decode()
    assert newsletter.subject in page
    assert "Hemligt utkast" not in page and "Bara styrelsen" not in page
    hidden = reverse("newsletters:archive_detail", args=[token, board_only.pk])
    assert client.get(hidden).status_code == 404
    detail = client.get(reverse("newsletters:archive_detail", args=[token, newsletter.pk]))
    assert "<strong>Välkommen</strong>" in detail.content.decode()
    for purpose in (UNSUBSCRIBE, SELF_SERVICE):
        wrong = member_token(member.pk, purpose)
        assert client.get(reverse("newsletters:archive", args=[wrong])).status_code == 404
