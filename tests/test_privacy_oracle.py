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


def test_failed_attempts_are_counted_per_actor_without_the_address(client_as, person):
    school = MeetingFactory(kind=Kind.TRAINING, topic="ledarskap")
    MemberFactory(email="finns@example.org")
    url = reverse("meetings:participants", kwargs={"pk": school.pk})
    client = client_as(BoardFunction.TRAINING)

    for tried in (
        "a@example.org",
        "b@example.org",
        "finns@example.org",
        "inte-en-adress",
        "c@x.se",
    ):
        client.post(url, {"email": tried})

    failed = AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_LOOKUP_FAILED).order_by("id")
    # Three addresses that could not be added; a member added and a malformed address do not count.
    assert [event.detail["attempts_today"] for event in failed] == [1, 2, 3]
    assert {event.target for event in failed} == {f"meeting:{school.pk}"}
    for event in AuditEvent.objects.all():
        text = event.target + str(event.detail)
        assert "a@example.org" not in text and "c@x.se" not in text
    # The count is per actor: someone else starts at one.
    other = client_as(BoardFunction.CHAIR)
    other.post(url, {"email": "d@example.org"})
    latest = AuditEvent.objects.filter(action=AuditEvent.Action.MEMBER_LOOKUP_FAILED).latest("id")
    assert latest.detail["attempts_today"] == 1 and latest.actor_id != failed[0].actor_id

    # The log says it in words a person reads.
    page = client_as(BoardFunction.CHAIR).get(reverse("audit_log")).content.decode()
    assert "som inte kunde läggas till" in page and "Misslyckade försök i dag: 3" in page
