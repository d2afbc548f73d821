"""Every meetings page renders with the demo's data, for the ordförande who sees everything."""

import pytest
from django.urls import reverse

from meetings.models import CalendarFeed, Kind, Matter, Meeting
from members.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def chair_client(demo, client, settings):
    settings.KRETS_REQUIRE_MFA = False
    client.force_login(User.objects.get(email="ordforande@example.org"))
    return client


def test_every_page_renders_with_the_demo(chair_client):
    school = Meeting.objects.get(kind=Kind.POLITICIANS_SCHOOL)
    chapter = Meeting.objects.filter(kind=Kind.CHAPTER).first()
    matter = Matter.objects.get()
    urls = [
        reverse("meetings:index"),
        reverse("meetings:index") + "?tidigare=1&typ=kretsmote",
        reverse("meetings:month", kwargs={"year": 2023, "month": 3}),
        reverse("meetings:plan", kwargs={"year": 2023}),
        reverse("meetings:council"),
        reverse("meetings:matters"),
        reverse("meetings:matter", kwargs={"pk": matter.pk}),
        reverse("meetings:matter_create"),
        reverse("meetings:kit"),
        reverse("meetings:feeds"),
        reverse("meetings:create"),
        reverse("meetings:training_create"),
        reverse("overview"),
    ]
    for meeting in (school, chapter):
        for name in ("detail", "edit", "minutes", "attendance"):
            urls.append(reverse(f"meetings:{name}", kwargs={"pk": meeting.pk}))
    urls.append(reverse("meetings:participants", kwargs={"pk": school.pk}))
    for url in urls:
        assert chair_client.get(url).status_code == 200, url


def test_demo_year_view_and_decided_matter_show_what_the_board_needs(chair_client):
    plan = chair_client.get(reverse("meetings:plan", kwargs={"year": 2023})).content.decode()
    assert plan.count("/moten/") >= 11
    matter = chair_client.get(
        reverse("meetings:matter", kwargs={"pk": Matter.objects.get().pk})
    ).content.decode()
    assert "Talar med media" in matter
    assert "Beslut: Driva kortare maxtid" in matter
    overview = chair_client.get(reverse("overview")).content.decode()
    assert "Kommande möten" in overview


def test_demo_feeds_parse(chair_client):
    chair_client.get(reverse("meetings:feeds"))
    token = CalendarFeed.objects.get().token
    assert chair_client.get(reverse("meetings:feed")).status_code == 200
    private = chair_client.get(reverse("meetings:private_feed", kwargs={"token": token}))
    assert private.content.count(b"BEGIN:VEVENT") == Meeting.objects.count()
