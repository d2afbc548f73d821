"""A member chooses what mail to get: newsletters and invitations to open meetings are
separate consents, each with RFC 8058 one-click unsubscribe, and a choice in Mina uppgifter.
Mail a member must get (invitations to meetings they are called to in person) is unaffected."""

import pytest
from django.test import Client
from django.urls import reverse

from krets.models import AuditEvent
from meetings import services
from meetings.mail_kinds import unsubscribe_url
from meetings.models import Kind
from members.models import Member
from members.tokens import (
    OPEN_MEETINGS_UNSUBSCRIBE,
    SELF_SERVICE,
    UNSUBSCRIBE,
    member_from_token,
    member_token,
)
from tests.factories import BoardAssignmentFactory, MemberFactory
from tests.fixtures.meetings import MeetingFactory, in_days

pytestmark = pytest.mark.django_db(transaction=True)

ONE_CLICK = "List-Unsubscribe=One-Click"


@pytest.fixture
def https(settings):
    settings.SITE_URL = "https://portal.example.org"


def test_open_meeting_invitations_carry_one_click_headers_and_board_ones_do_not(
    https, tasks_in_process, smtp_server
):
    greta = MemberFactory(email="greta@example.org")
    board = BoardAssignmentFactory(year=in_days(7).year, member__email="styrelse@example.org")

    services.invitations_send(actor=None, meeting=MeetingFactory(kind=Kind.CHAPTER))
    services.invitations_send(actor=None, meeting=MeetingFactory(kind=Kind.BOARD))

    smtp_server.wait_for(3)
    [open_invitation] = [
        m for m in smtp_server.messages_to("greta@example.org") if "Kretsmöte" in m["Subject"]
    ]
    link = open_invitation["List-Unsubscribe"].strip().strip("<>")
    assert link.startswith("https://portal.example.org/moten/avregistrera/")
    token = link.rstrip("/").rpartition("/")[2]
    assert member_from_token(token, OPEN_MEETINGS_UNSUBSCRIBE) == greta
    assert open_invitation["List-Unsubscribe-Post"] == ONE_CLICK
    [board_invitation] = [
        m for m in smtp_server.messages_to(board.member.email) if m["List-Unsubscribe"] is None
    ]
    assert board_invitation["List-Unsubscribe-Post"] is None


def test_one_click_post_works_without_login_or_csrf_and_is_idempotent(https):
    member = MemberFactory(email="greta@example.org", newsletter_consent=True)
    client = Client(enforce_csrf_checks=True)  # a mail app: no cookie, no CSRF token
    url = unsubscribe_url(member.pk).removeprefix("https://portal.example.org")

    assert client.get(url).status_code == 200  # a link scanner's GET changes nothing
    member.refresh_from_db()
    assert member.open_meeting_invitations

    first = client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")
    again = client.post(url, ONE_CLICK, content_type="application/x-www-form-urlencoded")

    assert first.status_code == again.status_code == 200
    member.refresh_from_db()
    assert not member.open_meeting_invitations
    assert member.newsletter_consent  # the other consent is its own
    events = AuditEvent.objects.filter(target=f"medlem:{member.pk}", action="member_changed")
    assert events.count() == 1 and events.get().detail["fields"] == ["open_meeting_invitations"]
    # A token for another purpose, or a forged one, opens nothing.
    other = reverse("meetings:unsubscribe", args=[member_token(member.pk, UNSUBSCRIBE)])
    assert client.post(other, ONE_CLICK, content_type="text/plain").status_code == 404
    assert client.post(url[:-3] + "xyz/").status_code == 404


def test_newsletter_one_click_leaves_meeting_invitations_alone(https):
    member = MemberFactory(newsletter_consent=True)
    url = reverse("newsletters:unsubscribe", args=[member_token(member.pk, UNSUBSCRIBE)])
    Client(enforce_csrf_checks=True).post(
        url, ONE_CLICK, content_type="application/x-www-form-urlencoded"
    )
    member.refresh_from_db()
    assert not member.newsletter_consent and member.open_meeting_invitations


def test_who_said_no_gets_no_open_invitation_but_still_the_board_one(tasks_in_process, smtp_server):
    member = MemberFactory(email="nej@example.org", open_meeting_invitations=False)
    BoardAssignmentFactory(year=in_days(7).year, member=member)
    MemberFactory(email="ja@example.org")

    assert services.invitations_send(actor=None, meeting=MeetingFactory(kind=Kind.CHAPTER)) == 1
    smtp_server.wait_for(1)
    assert smtp_server.recipients == ["ja@example.org"]
    services.invitations_send(actor=None, meeting=MeetingFactory(kind=Kind.BOARD))
    smtp_server.wait_for(2)
    assert smtp_server.recipients[1] == "nej@example.org"


# Not transactional: the send must stay queued until the chunk is sent by hand below (with
# transaction=True its task ran at once wherever tasks run eagerly, as on SQLite without Redis).
@pytest.mark.django_db
def test_said_no_after_the_send_started_is_skipped(django_capture_on_commit_callbacks):
    from krets.mail.models import Delivery
    from krets.mail.services import mail_chunk_send

    member = MemberFactory(email="greta@example.org")
    with django_capture_on_commit_callbacks():  # queued, not yet sent
        services.invitations_send(actor=None, meeting=MeetingFactory(kind=Kind.CHAPTER))
    Member.objects.filter(pk=member.pk).update(open_meeting_invitations=False)
    delivery = Delivery.objects.get(email="greta@example.org")
    mail_chunk_send(send_id=delivery.send_id, chunk=delivery.chunk)
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.SKIPPED


def test_mina_uppgifter_offers_both_choices(client):
    member = MemberFactory(email="greta@example.org", newsletter_consent=True)
    url = reverse("members:self_service", args=[member_token(member.pk, SELF_SERVICE)])
    page = client.get(url).content.decode()
    assert "Jag vill ha nyhetsbrevet" in page
    assert "Jag vill ha inbjudningar till öppna möten" in page

    client.post(url, {"email": "greta@example.org", "newsletter_consent": "on"})
    member.refresh_from_db()
    assert member.newsletter_consent and not member.open_meeting_invitations

    client.post(url, {"email": "greta@example.org", "open_meeting_invitations": "on"})
    member.refresh_from_db()
    assert not member.newsletter_consent and member.open_meeting_invitations
