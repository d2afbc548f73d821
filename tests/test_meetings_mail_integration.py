"""An invitation travels for real: queued on commit, sent by a Celery worker on Redis, through
an SMTP server on loopback."""

import pytest
from django.db import transaction
from django.urls import reverse

from krets.mail.models import Delivery, Suppression
from meetings import services
from meetings.models import Invitation
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory


@pytest.mark.integration
def test_invitation_reaches_the_smtp_server_through_a_worker(celery_worker_process, smtp_server):
    member = MemberFactory(first_name="Greta", email="greta@example.org")
    meeting = MeetingFactory(title="Kretsmöte i Järbo")

    with transaction.atomic():
        services.invitations_send(actor=None, meeting=meeting)

    [message] = smtp_server.wait_for(1)
    assert smtp_server.recipients == ["greta@example.org"]
    assert message["Subject"].startswith("Inbjudan: Kretsmöte i Järbo")
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Hej Greta!" in text
    assert f"/moten/{meeting.pk}/svar/" in text and f"/moten/{meeting.pk}/svar/" in html
    assert Invitation.objects.get(member=member).sent_at is not None


def _invite_through_the_page(client_as, meeting) -> str:
    client = client_as(BoardFunction.SECRETARY)
    response = client.post(reverse("meetings:invite", kwargs={"pk": meeting.pk}), follow=True)
    return response.content.decode()


def _chapter_of(size: int) -> list[str]:
    addresses = [f"medlem{n}@example.org" for n in range(size)]
    for address in addresses:
        MemberFactory(email=address)
    Suppression.objects.create(email="medlem0@example.org", reason="bounce")  # not mailed
    return addresses


@pytest.mark.django_db(transaction=True)
def test_the_invitation_count_is_true_with_tasks_in_process(
    tasks_in_process, smtp_server, client_as
):
    """Eager (the default without a worker): the chunks have run by the time the page
    answers, so counting what is still queued would say 0."""
    _chapter_of(12)
    meeting = MeetingFactory(title="Kretsmöte i Järbo")

    page = _invite_through_the_page(client_as, meeting)

    mailed = Delivery.objects.filter(send__kind="meetings.invitation").exclude(state="skipped")
    assert mailed.count() == 12  # 11 members and the secretary; one address suppressed
    assert "Inbjudan skickas till 12 personer." in page
    smtp_server.wait_for(12)
    assert len(smtp_server.recipients) == 12


@pytest.mark.integration
def test_the_invitation_count_is_true_with_a_real_worker(
    celery_worker_process, smtp_server, client_as
):
    _chapter_of(12)
    meeting = MeetingFactory(title="Kretsmöte i Järbo")

    page = _invite_through_the_page(client_as, meeting)

    assert "Inbjudan skickas till 12 personer." in page
    smtp_server.wait_for(12)
    assert len(smtp_server.recipients) == 12
