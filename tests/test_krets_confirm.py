"""Irreversible actions ask first, and the server refuses to act without the confirmation."""

import pytest
from django.urls import reverse

from campaigns.models import Draw
from meetings.models import Matter, Meeting
from members.models import BoardFunction
from newsletters.models import Newsletter
from tests.fixtures.campaigns import CompetitionFactory, EntryFactory
from tests.fixtures.meetings import MeetingFactory, matter_with_group

from .fixtures.browser import sign_in

pytestmark = pytest.mark.django_db
F = BoardFunction


def asks(response) -> bool:
    html = response.content.decode()
    return response.status_code == 200 and 'name="confirm" value="1"' in html


def test_cancelling_a_meeting_asks_first_and_the_server_refuses_without_confirm(client_as):
    meeting = MeetingFactory()
    client = client_as(F.SECRETARY)
    url = reverse("meetings:status", args=[meeting.pk])

    response = client.post(url, {"status": "installd"})

    assert asks(response)
    assert "Ställa in mötet?" in response.content.decode()
    assert 'name="status" value="installd"' in response.content.decode()  # the form repeated
    meeting.refresh_from_db()
    assert meeting.status != Meeting.Status.CANCELLED

    client.post(url, {"status": "installd", "confirm": "1"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_deciding_a_meeting_is_not_asked(client_as):
    meeting = MeetingFactory(status=Meeting.Status.PROPOSED)
    response = client_as(F.SECRETARY).post(
        reverse("meetings:status", args=[meeting.pk]), {"status": "beslutad"}
    )
    assert response.status_code == 302


def test_someone_who_may_not_cancel_is_refused_before_being_asked(client_as):
    meeting = MeetingFactory()
    response = client_as(F.BOARD_MEMBER).post(
        reverse("meetings:status", args=[meeting.pk]), {"status": "installd"}
    )
    assert response.status_code == 403


def test_closing_the_vote_asks_only_a_group_member(client_as, person):
    client = client_as(F.CHAIR)
    other = matter_with_group()
    assert client.post(reverse("meetings:matter_close", args=[other.pk])).status_code == 403

    user = person(F.CHAIR)
    matter = matter_with_group([user.member])
    client.force_login(user)
    url = reverse("meetings:matter_close", args=[matter.pk])
    assert asks(client.post(url))
    assert Matter.objects.get(pk=matter.pk).is_open

    client.post(url, {"confirm": "1"})
    assert not Matter.objects.get(pk=matter.pk).is_open


def test_drawing_a_winner_asks_first(client_as):
    competition = CompetitionFactory()
    EntryFactory(competition=competition)
    client = client_as(F.COMMUNICATION)
    url = reverse("campaigns:draw", args=[competition.pk])

    assert asks(client.post(url))
    assert not Draw.objects.filter(competition=competition).exists()

    client.post(url, {"confirm": "1"})
    assert Draw.objects.filter(competition=competition).exists()


def test_sending_a_newsletter_to_everyone_asks_first(client_as):
    newsletter = Newsletter.objects.create(subject="Prov", body="Text")
    client = client_as(F.COMMUNICATION)
    response = client.post(reverse("newsletters:send", args=[newsletter.pk]), {"send_at": ""})

    assert asks(response)
    assert "Skicka till alla" in response.content.decode()
    newsletter.refresh_from_db()
    assert newsletter.state == Newsletter.State.DRAFT


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_a_dialog_asks_and_cancel_does_nothing(page, person):
    user = person(F.SECRETARY, two_factor=False)
    user.set_password("lösenord-123")
    user.save()
    meeting = MeetingFactory()
    from django.conf import settings

    settings.KRETS_REQUIRE_MFA = False
    sign_in(page, user.email, "lösenord-123")
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    page.get_by_role("button", name="Ställ in").click()
    dialog = page.get_by_role("dialog")
    assert dialog.get_by_text("Ställa in mötet?").is_visible()
    dialog.get_by_role("button", name="Avbryt").click()
    meeting.refresh_from_db()
    assert meeting.status != Meeting.Status.CANCELLED

    page.get_by_role("button", name="Ställ in").click()
    page.get_by_role("dialog").get_by_role("button", name="Ställ in mötet").click()
    page.get_by_text("Mötet är inställt.").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_server_asks_on_its_own_page(browser, live_server, person):
    from django.conf import settings

    settings.KRETS_REQUIRE_MFA = False
    user = person(F.SECRETARY, two_factor=False)
    user.set_password("lösenord-123")
    user.save()
    meeting = MeetingFactory()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, user.email, "lösenord-123")
    page.goto(reverse("meetings:detail", args=[meeting.pk]))

    page.get_by_role("button", name="Ställ in").click()
    page.get_by_role("heading", name="Ställa in mötet?").wait_for()
    page.get_by_role("button", name="Ställ in mötet").click()
    page.get_by_text("Mötet är inställt.").wait_for()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    context.close()
