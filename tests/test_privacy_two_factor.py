"""Two-factor everywhere: a board account signed in with only its password sees the public pages
exactly as an anonymous visitor does (issue 13, item 2)."""

import pytest
from django.urls import reverse

from meetings.models import CalendarFeed, Kind
from tests.fixtures.meetings import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def board_meeting():
    return MeetingFactory(kind=Kind.BOARD, title="Styrelsemöte om budgeten")


@pytest.mark.parametrize("url_name", ["meetings:detail", "meetings:ics"])
def test_board_meeting_is_closed_to_a_board_account_without_two_factor(
    client, person, board_meeting, url_name
):
    url = reverse(url_name, kwargs={"pk": board_meeting.pk})
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))

    client.force_login(person("sekreterare", two_factor=False))
    response = client.get(url)
    assert response.status_code == anonymous.status_code
    assert "budgeten" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["meetings:detail", "meetings:ics"])
def test_board_meeting_opens_for_the_same_role_with_two_factor(
    client, person, board_meeting, url_name
):
    client.force_login(person("sekreterare"))
    response = client.get(reverse(url_name, kwargs={"pk": board_meeting.pk}))
    assert response.status_code == 200
    assert "budgeten" in response.content.decode()


def test_open_meeting_page_shows_a_board_account_without_two_factor_what_the_public_sees(
    client, person
):
    meeting = MeetingFactory(kind=Kind.CHAPTER)
    client.force_login(person("sekreterare", two_factor=False))
    response = client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert response.context["can_read_minutes"] is False
    assert response.context["can_change"] is False
    # A member without a board function needs no two-factor and keeps their own view.
    client.force_login(person("medlem"))
    assert client.get(reverse("meetings:detail", kwargs={"pk": meeting.pk})).status_code == 200


def test_private_feed_of_a_board_account_without_two_factor_holds_only_public_meetings(
    client, person, board_meeting
):
    user = person("sekreterare", two_factor=False)
    MeetingFactory(kind=Kind.CHAPTER, title="Öppet kretsmöte")
    feed = CalendarFeed.objects.create(user=user)
    body = client.get(reverse("meetings:private_feed", kwargs={"token": feed.token})).content
    assert "Öppet kretsmöte".encode() in body
    assert b"budgeten" not in body
