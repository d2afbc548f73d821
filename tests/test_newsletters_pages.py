"""Newsletter pages, the overview panel, the goals counter and bounce webhooks."""

import base64
import datetime
import json

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from goals.registry import counter
from krets.mail.models import Suppression
from members.models import BoardFunction
from newsletters import services
from newsletters.models import Newsletter

pytestmark = pytest.mark.django_db


def sent_newsletter(subject: str, sent_at: datetime.datetime) -> Newsletter:
    return Newsletter.objects.create(
        subject=subject, body="x", state=Newsletter.State.SENT, sent_at=sent_at
    )


def test_newsletter_list_runs_a_fixed_number_of_queries(client_as, django_assert_max_num_queries):
    client = client_as(BoardFunction.COMMUNICATION)
    for number in range(15):
        sent_newsletter(f"Brev {number}", timezone.now())
    with django_assert_max_num_queries(12):
        response = client.get(reverse("newsletters:index"))
    # Each letter is a link in the list (the reach chart names them too, after the date).
    assert response.content.decode().count('">Brev ') == 15


def test_communication_officer_writes_a_draft(client_as):
    client = client_as(BoardFunction.COMMUNICATION)
    response = client.post(
        reverse("newsletters:create"),
        {"subject": "Oktober", "body": "Hej *alla*", "audience": "alla"},
    )
    newsletter = Newsletter.objects.get()
    assert response["Location"] == reverse("newsletters:detail", args=[newsletter.pk])
    assert newsletter.state == Newsletter.State.DRAFT
    preview = client.get(reverse("newsletters:preview", args=[newsletter.pk]))
    assert "<em>alla</em>" in preview.content.decode()


def test_district_audience_needs_a_district(client_as):
    client = client_as(BoardFunction.COMMUNICATION)
    response = client.post(
        reverse("newsletters:create"), {"subject": "S", "body": "B", "audience": "kommundel"}
    )
    assert response.status_code == 200
    assert "Välj kommundel." in response.content.decode()
    assert not Newsletter.objects.exists()


def test_audiences_pick_the_right_members(consenting_members, newsletter, person):
    from newsletters.selectors import newsletter_audience
    from tests.factories import BoardAssignmentFactory, DistrictFactory

    storvik = consenting_members(2, district=DistrictFactory(name="Storvik"))
    jarbo = consenting_members(1, district=DistrictFactory(name="Järbo"))
    new = consenting_members(
        1, district=jarbo[0].district, joined_on=timezone.localdate() - datetime.timedelta(days=20)
    )
    board = BoardAssignmentFactory(member=jarbo[0]).member
    everyone = {m.pk for m in storvik + jarbo + new}

    def audience(**fields):
        for name, value in fields.items():
            setattr(newsletter, name, value)
        return set(newsletter_audience(newsletter).values_list("pk", flat=True))

    assert audience(audience="alla") == everyone
    assert audience(audience="kommundel", district=storvik[0].district) == {m.pk for m in storvik}
    assert audience(audience="styrelsen") == {board.pk}
    assert audience(audience="nya", joined_months=1) == {new[0].pk}


def test_progress_partial_polls_while_sending_and_stops_when_done(
    client_as, newsletter, consenting_members, django_capture_on_commit_callbacks, tasks_in_process
):
    consenting_members(2)
    client = client_as(BoardFunction.COMMUNICATION)
    url = reverse("newsletters:progress", args=[newsletter.pk])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    sending = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in sending and 'aria-valuenow="0"' in sending
    with django_capture_on_commit_callbacks(execute=True):
        for task in queued:
            task()
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done and 'aria-valuenow="100"' in done


def test_overview_counts_the_years_newsletters_against_twelve(client_as, settings):
    settings.NEWSLETTER_REMINDER_DAY = 1  # every day of the month is past the reminder day
    client = client_as(BoardFunction.COMMUNICATION)
    now = timezone.now()
    for number in range(3):
        sent_newsletter(f"I år {number}", now - datetime.timedelta(minutes=number))
    sent_newsletter("I fjol", now.replace(year=now.year - 1))
    page = client.get(reverse("overview")).content.decode()
    assert "3 / 12" in page
    assert "Månaden har inget nyhetsbrev ännu" not in page  # this month has one


def test_overview_reminds_when_the_month_has_no_newsletter(client_as, settings):
    settings.NEWSLETTER_REMINDER_DAY = 1
    client = client_as(BoardFunction.COMMUNICATION)
    page = client.get(reverse("overview")).content.decode()
    assert "0 / 12" in page
    assert "Månaden har inget nyhetsbrev ännu" in page


def test_goals_counter_counts_newsletters_sent_in_the_period():
    sent_newsletter("Mars", timezone.make_aware(datetime.datetime(2023, 3, 10, 12)))
    sent_newsletter("Maj", timezone.make_aware(datetime.datetime(2023, 5, 10, 12)))
    Newsletter.objects.create(subject="Utkast", body="x")
    newsletters = counter("newsletters.sent")
    assert newsletters.count(datetime.date(2023, 1, 1), datetime.date(2023, 3, 31)) == 1
    assert newsletters.count(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)) == 2
    assert newsletters.records_url(datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))


def test_bounce_reported_by_an_email_service_suppresses_the_address(settings):
    webhooks = pytest.importorskip("anymail.webhooks.postmark")
    settings.ANYMAIL = {"WEBHOOK_SECRET": "krets:hemligt"}
    payload = {
        "RecordType": "Bounce",
        "Type": "HardBounce",
        "TypeCode": 1,
        "Email": "Borta@Example.org",
        "BouncedAt": "2026-11-24T10:00:00Z",
        "Description": "The server was unable to deliver your message",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "Details": "smtp;550 5.1.1 user unknown",
    }
    request = RequestFactory().post(
        "/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"krets:hemligt").decode(),
    )
    response = webhooks.PostmarkTrackingWebhookView.as_view()(request)
    assert response.status_code == 200
    assert Suppression.objects.get(email="borta@example.org").reason == "bounce"


def test_board_members_read_newsletters_but_only_writers_see_the_send_buttons(
    client_as, newsletter
):
    reader = client_as(BoardFunction.TREASURER)
    page = reader.get(reverse("newsletters:detail", args=[newsletter.pk])).content.decode()
    assert newsletter.subject in page
    assert "Skicka nyhetsbrevet" not in page
    assert "Skriv ett nyhetsbrev" not in reader.get(reverse("newsletters:index")).content.decode()
    writer = client_as(BoardFunction.COMMUNICATION)
    page = writer.get(reverse("newsletters:detail", args=[newsletter.pk])).content.decode()
    assert "Skicka nyhetsbrevet" in page
    assert "Skriv ett nyhetsbrev" in writer.get(reverse("newsletters:index")).content.decode()


def test_sending_and_unsubscribing_are_logged_with_who_and_from_where(
    client_as, consenting_members
):
    from krets.models import AuditEvent
    from members.tokens import UNSUBSCRIBE, member_token

    client = client_as(BoardFunction.COMMUNICATION)
    newsletter = Newsletter.objects.create(subject="Maj", body="Hej")
    client.post(
        reverse("newsletters:send", args=[newsletter.pk]), {"confirm": "1"}, REMOTE_ADDR="192.0.2.9"
    )
    sent = AuditEvent.objects.get(action=AuditEvent.Action.NEWSLETTER_SENT)
    assert sent.actor.member.board_assignments.get().function == BoardFunction.COMMUNICATION
    assert (sent.ip, sent.target) == ("192.0.2.9", f"nyhetsbrev:{newsletter.pk}")
    assert sent.detail["step"] == "started"

    member = consenting_members(2)[0]
    token = member_token(member.pk, UNSUBSCRIBE)
    for _ in range(2):  # unsubscribing twice logs once
        client.post(reverse("newsletters:unsubscribe", args=[token]), REMOTE_ADDR="192.0.2.10")
    [withdrawn] = AuditEvent.objects.filter(target=f"medlem:{member.pk}")
    assert (withdrawn.actor, withdrawn.actor_label) == (None, "medlemmen själv")
    assert withdrawn.detail["fields"] == ["newsletter_consent"]
