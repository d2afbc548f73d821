"""allauth's email management is off, and the conference kit names only meetings the person may
see (issue 13, item 10)."""

import datetime

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings import services
from meetings.models import Kind, KitBooking
from tests.factories import MemberFactory
from tests.fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


def test_email_management_is_off_so_nobody_adds_a_login_address(client_as):
    client = client_as("ordforande")
    assert client.get("/konton/email/").status_code == 404
    response = client.post("/konton/email/", {"action_add": "", "email": "annan@example.org"})
    assert response.status_code == 404
    assert not EmailAddress.objects.filter(email="annan@example.org").exists()
    account = client.get(reverse("account")).content.decode()
    assert "/konton/email/" not in account


def test_kit_booking_cannot_name_a_meeting_the_booker_may_not_see(client_as):
    board_meeting = MeetingFactory(kind=Kind.BOARD, title="Styrelsemöte om budgeten")
    client = client_as("uppdrag")  # may book the kit, may not see board meetings
    response = client.post(
        reverse("meetings:kit"),
        {
            "starts_at": "2030-03-01T18:00",
            "ends_at": "2030-03-01T20:00",
            "meeting": board_meeting.pk,
        },
    )
    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    assert not KitBooking.objects.exists()
    prefilled = client.get(reverse("meetings:kit") + f"?mote={board_meeting.pk}")
    assert "budgeten" not in prefilled.content.decode()


def test_kit_list_shows_a_meetings_title_only_to_those_who_may_see_it(client_as, person):
    board_meeting = MeetingFactory(kind=Kind.BOARD, title="Styrelsemöte om budgeten")
    start = timezone.now() + datetime.timedelta(days=3)
    services.kit_book(
        actor=None,
        member=MemberFactory(),
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        meeting=board_meeting,
    )
    outsider = client_as("uppdrag").get(reverse("meetings:kit")).content.decode()
    assert "budgeten" not in outsider
    assert "Ett möte" in outsider
    board = Client()
    board.force_login(person("sekreterare"))
    page = board.get(reverse("meetings:kit")).content.decode()
    assert "Styrelsemöte om budgeten" in page


@pytest.mark.usefixtures("tasks_in_process")
def test_the_chair_changes_a_board_members_login_address_with_confirmation(
    client, person, smtp_server, django_capture_on_commit_callbacks
):
    import re  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415

    from krets.models import AuditEvent  # noqa: PLC0415
    from members.models import User  # noqa: PLC0415

    chair = person("ordforande")
    board_member = person("kassor")
    old = board_member.email
    client.force_login(chair)
    url = reverse("members:login_email_change", args=[board_member.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "Ny.Kassor@example.org"})
    assert response.status_code == 302
    board_member.refresh_from_db()
    assert board_member.email == old  # not before the new address confirms
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert set(messages) == {old, "ny.kassor@example.org"}
    assert "http" not in messages[old].get_body(("plain",)).get_content()
    text = messages["ny.kassor@example.org"].get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+", text).group(0).removeprefix(settings.SITE_URL)
    stranger = Client()
    stranger.get(link)
    assert User.objects.get(pk=board_member.pk).email == old  # GET changes nothing
    assert stranger.post(link).status_code == 200
    assert User.objects.get(pk=board_member.pk).email == "ny.kassor@example.org"
    assert AuditEvent.objects.filter(detail__login_email_change="confirmed").count() == 1
    requested = AuditEvent.objects.get(detail__login_email_change="requested")
    assert requested.actor == chair and requested.detail["id"] == board_member.pk
    # only the ordförande may ask
    client.force_login(person("kassor"))
    assert client.get(url).status_code == 403
