"""Issue 13 item 5: the training participant form is no membership oracle."""

import datetime

from django.urls import reverse

from krets.models import AuditEvent
from meetings.models import Kind
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory


def test_adding_a_participant_tells_nothing_about_non_members(client_as):
    school = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap")
    MemberFactory(email="gammal@example.org", left_on=datetime.date(2020, 1, 1))
    client = client_as(BoardFunction.TRAINING)
    url = reverse("meetings:participants", kwargs={"pk": school.pk})

    never = client.post(url, {"email": "aldrig@example.org"}).content.decode()
    former = client.post(url, {"email": "gammal@example.org"}).content.decode()

    for page in (never, former):
        assert "Kunde inte lägga till." in page
        assert "Ingen medlem" not in page
        assert "medlem har" not in page
    assert not school.invitations.exists()


def test_the_audit_names_the_added_participant_by_row(client_as):
    school = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap")
    member = MemberFactory(email="deltagare@example.org", first_name="Signe")
    client = client_as(BoardFunction.TRAINING)
    client.post(
        reverse("meetings:participants", kwargs={"pk": school.pk}),
        {"email": "deltagare@example.org"},
    )
    event = AuditEvent.objects.get(detail__participant="added")
    assert event.detail["member"] == member.pk
    assert "Signe" not in str(event.detail) and "deltagare@" not in str(event.detail)
