"""The page of suppressed addresses (reason and date) and lifting a suppression: the
kommunikationsansvarig and the ordförande may, it is audited, and mail goes there again."""

import pytest
from django.urls import reverse

from krets.mail.models import Delivery, MailSend, Suppression
from krets.mail.services import suppression_add
from krets.mail.signals import on_tracking
from krets.models import AuditEvent
from meetings import services
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bounced():
    suppression_add(
        email="Bo@Example.org", reason=Suppression.Reason.BOUNCE, detail="550 No such user"
    )
    suppression_add(email="cilla@example.org", reason=Suppression.Reason.COMPLAINT)
    return Suppression.objects.get(email="bo@example.org")


@pytest.mark.parametrize("function", [BoardFunction.COMMUNICATION, BoardFunction.CHAIR])
def test_the_page_lists_each_address_with_reason_and_date(client_as, bounced, function):
    response = client_as(function).get(reverse("suppressions"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "bo@example.org" in page and "Studsade" in page and "550 No such user" in page
    assert "cilla@example.org" in page and "Anmälde som skräppost" in page
    day = bounced.created_at.astimezone(services.STOCKHOLM)
    months = [
        "jan",
        "feb",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ]
    assert f"{day.day} {months[day.month - 1]} {day.year}" in page
    searched = client_as(function).get(reverse("suppressions"), {"sok": "cilla"}).content.decode()
    assert "cilla@example.org" in searched and "bo@example.org" not in searched


def test_others_may_not_see_or_lift(client_as, bounced):
    client = client_as(BoardFunction.SECRETARY)
    assert client.get(reverse("suppressions")).status_code == 403
    lift = reverse("suppression_lift", kwargs={"pk": bounced.pk})
    assert client.post(lift).status_code == 403
    assert Suppression.objects.filter(pk=bounced.pk).exists()


def test_lifting_is_audited_and_mail_goes_there_again(
    client_as, bounced, django_capture_on_commit_callbacks
):
    client = client_as(BoardFunction.COMMUNICATION)
    lift = reverse("suppression_lift", kwargs={"pk": bounced.pk})

    response = client.post(lift, follow=True)

    assert "Spärren för bo@example.org är hävd" in response.content.decode()
    assert not Suppression.objects.filter(email="bo@example.org").exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.SUPPRESSION_LIFTED)
    assert event.target == "bo@example.org"
    assert event.actor == response.wsgi_request.user
    assert client.post(lift).status_code == 404  # lifted already: nothing to lift

    MemberFactory(email="bo@example.org")
    with django_capture_on_commit_callbacks():
        services.invitations_send(actor=None, meeting=MeetingFactory())
    delivery = Delivery.objects.get(email="bo@example.org")
    assert delivery.state == Delivery.State.PENDING  # not skipped any more


def test_a_suppressed_address_is_skipped_and_not_counted(
    bounced, django_capture_on_commit_callbacks
):
    MemberFactory(email="bo@example.org")
    MemberFactory(email="anna@example.org")
    with django_capture_on_commit_callbacks():
        count = services.invitations_send(actor=None, meeting=MeetingFactory())
    assert count == 1
    assert Delivery.objects.get(email="bo@example.org").state == Delivery.State.SKIPPED
    assert MailSend.objects.get().total == 2


class _Event:
    def __init__(self, event_type, recipient, reject_reason=None):
        self.event_type, self.recipient, self.reject_reason = event_type, recipient, reject_reason
        self.description, self.mta_response = "", "550 5.1.1 unknown"


def test_a_bounce_or_complaint_report_suppresses_that_address_only():
    on_tracking(None, _Event("bounced", "gone@example.org"), "postmark")
    on_tracking(None, _Event("complained", "angry@example.org"), "postmark")
    on_tracking(None, _Event("deferred", "slow@example.org"), "postmark")
    on_tracking(None, _Event("delivered", "fine@example.org"), "postmark")
    assert dict(Suppression.objects.values_list("email", "reason")) == {
        "gone@example.org": "bounce",
        "angry@example.org": "complaint",
    }
