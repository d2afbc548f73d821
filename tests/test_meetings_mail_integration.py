"""An invitation travels for real: queued on commit, sent by a Celery worker on Redis, through
an SMTP server on loopback."""

import pytest
from django.db import transaction

from meetings import services
from meetings.models import Invitation
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
