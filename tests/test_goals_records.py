"""Links that mean what they say: every registered goal figure, and each of its per-district
figures, equals the number of rows on the page its link opens, in the demo and for records
on both sides of the turn of the year. The links are read from the dashboard and the annual
report as rendered, and from goals.registry for the counters no target uses."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Campaign, Channel, LivePanel, PaidMarketing
from goals import registry
from goals.models import year_period
from meetings.models import Kind, Meeting
from members.models import BoardFunction, District
from newsletters.models import Newsletter
from tests.factories import MemberFactory
from tests.fixtures.campaigns import CampaignFactory, CompetitionFactory, EntryFactory
from tests.fixtures.goals import GoalFactory, TargetFactory
from tests.fixtures.meetings import MeetingFactory
from visitors.models import Application

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
ROW = 'data-testid="record"'
LOGGED = 'data-testid="log-entry"'  # the activity log: the rows behind a logged target


def rows_behind(client, url: str) -> int:
    """The rows the link lists, on every page of it (the new members page has 100 a page)."""
    total, page = 0, 1
    while True:
        response = client.get(url, {"sida": page} if page > 1 else {})
        assert response.status_code == 200, url
        html = response.content.decode()
        total += html.count(ROW) + html.count(LOGGED)
        if f"sida={page + 1}" not in html:
            return total
        page += 1


def figures_and_links(counter: registry.Counter, start, end):
    """(what, figure, link) for the counter and each of its districts."""
    found = [(counter.key, counter.count(start, end), counter.records_url(start, end))]
    districts = counter.by_district(start, end) if counter.by_district else {}
    urls = registry.district_urls(counter, start, end, districts)
    assert set(urls) == set(districts), f"{counter.key}: a district without its link"
    found += [(f"{counter.key} {name}", n, urls[name]) for name, n in districts.items()]
    return found


def every_figure_against_its_rows(client, year: int) -> dict[str, tuple[int, int]]:
    start, end = year_period(year)
    result = {}
    for key, counter in sorted(registry.registered().items()):
        assert counter.records_url is not None, f"{key} has no records"
        for what, figure, url in figures_and_links(counter, start, end):
            result[what] = (figure, rows_behind(client, url))
    return result


LINK = re.compile(r'<a href="([^"]+)"[^>]*>(\d+)(?:<span[^>]*>[^<]*</span>)?</a>')


def linked_numbers(html: str) -> list[tuple[str, int]]:
    """Every number on a page that is itself a link: (link, number)."""
    return [(unescape(href), int(n)) for href, n in LINK.findall(html)]


FIGURE_ROW = re.compile(
    r'<tr data-testid="figure">(?:(?!</tr>).)*?<strong>(\d+)</strong>'
    r'(?:(?!</tr>).)*?<a href="([^"]+)">Underlag',
    re.DOTALL,
)


def dashboard_figures(html: str) -> list[tuple[str, int]]:
    """The dashboard's figures with their "Underlag" links: (link, figure)."""
    return [(unescape(href), int(n)) for n, href in FIGURE_ROW.findall(html)]


# The demo ----------------------------------------------------------------------------------


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_in_the_demo_every_figure_equals_the_rows_behind_its_link(demo, client_as):
    client = client_as(BoardFunction.CHAIR)
    this_year = timezone.localdate().year

    for year in sorted({2023, this_year}):
        figures = every_figure_against_its_rows(client, year)
        differing = {key: pair for key, pair in figures.items() if pair[0] != pair[1]}
        assert differing == {}, year
        if year == 2023:
            # The demo's 2023: something behind most figures, so the check is not all zeros.
            assert figures["campaigns.competitions_held"] == (1, 1)
            assert figures["campaigns.competition_participants"] == (3, 3)
            assert figures["members.gained"][0] > 0
            assert figures["meetings.chapter_meetings_held"][0] > 0
        else:
            assert figures["newsletters.sent"][0] > 0  # the demo's letters are this year's
            assert sum(1 for key in figures if key.startswith("meetings.chapter")) > 2

    # The links as the dashboard and the annual report render them for 2023.
    dashboard = client.get(reverse("goals:index"), {"ar": 2023}).content.decode()
    report = client.get(reverse("goals:report", args=[2023])).content.decode()
    for linked in (
        dashboard_figures(dashboard) + linked_numbers(dashboard),
        linked_numbers(report),
    ):
        assert len(linked) >= 8
        for url, n in linked:
            assert rows_behind(client, url) == n, url


# The turn of the year ----------------------------------------------------------------------


def at(year, month, day, hour, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def records_on_both_sides_of_new_year():
    """Records on 31 December 2025 late and 1 January 2026 early (Stockholm time), of every
    kind a figure counts, and some that must count in neither year."""
    storvik, _ = District.objects.get_or_create(name="Storvik")
    jarbo, _ = District.objects.get_or_create(name="Järbo")
    for start, district in [
        (at(2025, 12, 31, 21), storvik),
        (at(2026, 1, 1, 0, 30), jarbo),
        (at(2026, 1, 2, 18), None),
    ]:
        MeetingFactory(
            kind=Kind.CHAPTER,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=1),
            district=district,
        )
    for start in [at(2025, 12, 31, 10), at(2026, 1, 1, 1)]:
        MeetingFactory(
            kind=Kind.TRAINING,
            topic="politik",
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
        )
    MeetingFactory(
        kind=Kind.CHAPTER,
        starts_at=at(2026, 1, 3, 18),
        ends_at=at(2026, 1, 3, 20),
        status=Meeting.Status.CANCELLED,
    )
    for sent in [at(2025, 12, 31, 23, 30), at(2026, 1, 1, 0, 15)]:
        Newsletter.objects.create(
            subject=f"Brev {sent:%Y-%m-%d %H:%M}",
            body="Hej",
            state=Newsletter.State.SENT,
            sent_at=sent,
        )
    for starts in [at(2025, 12, 31, 23), at(2026, 1, 1, 0, 30)]:
        LivePanel.objects.create(topic="Panel", starts_at=starts, status=LivePanel.Status.HELD)
    CampaignFactory(starts_on=datetime.date(2025, 12, 1), ends_on=datetime.date(2025, 12, 31))
    CampaignFactory(starts_on=datetime.date(2025, 12, 31), ends_on=datetime.date(2026, 1, 1))
    CampaignFactory(starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 1, 31))
    CampaignFactory(
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 31),
        status=Campaign.Status.CANCELLED,
    )
    facebook, _ = Channel.objects.get_or_create(name="Facebook")
    instagram, _ = Channel.objects.get_or_create(name="Instagram")
    for month, channels in [
        (datetime.date(2025, 12, 1), [facebook, instagram]),
        (datetime.date(2026, 1, 1), [facebook, instagram]),
        (datetime.date(2026, 2, 1), [facebook]),  # one channel: not counted
    ]:
        for channel in channels:
            PaidMarketing.objects.create(month=month, channel=channel, planned=500, spent=400)
    for ends_on, entries in [
        (datetime.date(2025, 12, 31), 3),
        (datetime.date(2026, 1, 1), 2),
        (datetime.date(2026, 12, 31), 4),  # still running on the day we look: not counted
    ]:
        competition = CompetitionFactory(
            starts_on=ends_on - datetime.timedelta(10), ends_on=ends_on
        )
        EntryFactory.create_batch(entries, competition=competition)
    for joined in [datetime.date(2025, 12, 31), datetime.date(2026, 1, 1)]:
        MemberFactory(joined_on=joined)
        MemberFactory(joined_on=datetime.date(2020, 5, 1), left_on=joined)
    for verified in [at(2025, 12, 31, 23, 59), at(2026, 1, 1, 0, 1)]:
        Application.objects.create(
            first_name="Sökande",
            last_name="Person",
            email="s@example.org",
            consent_text="Ja",
            terms_text="Ja",
            verified_at=verified,
            decided_at=verified,
            state=Application.State.APPROVED,
        )


def test_at_the_turn_of_the_year_every_figure_equals_the_rows_behind_its_link(client_as):
    with time_machine.travel(at(2026, 3, 1, 12)):
        records_on_both_sides_of_new_year()
        client = client_as(BoardFunction.CHAIR)
        figures = {year: every_figure_against_its_rows(client, year) for year in (2025, 2026)}
        # The annual report's numbers that are links, the members who left among them.
        reports = {}
        for year in (2025, 2026):
            html = client.get(reverse("goals:report", args=[year])).content.decode()
            reports[year] = [(url, n, rows_behind(client, url)) for url, n in linked_numbers(html)]

    for year in (2025, 2026):
        differing = {key: pair for key, pair in figures[year].items() if pair[0] != pair[1]}
        assert differing == {}, year
    expected = {
        # key: (2025, 2026)
        "meetings.chapter_meetings_held": (1, 2),
        "meetings.chapter_meetings_held Storvik": (1, None),
        "meetings.chapter_meetings_held Järbo": (None, 1),
        "meetings.chapter_meetings_held Ingen kommundel": (None, 1),
        "meetings.trainings_held": (1, 1),
        "newsletters.sent": (1, 1),
        "campaigns.live_panels_held": (1, 1),
        "campaigns.campaigns_held": (2, 2),
        "campaigns.paid_marketing_months": (1, 1),
        "campaigns.competitions_held": (1, 1),
        "campaigns.competition_participants": (3, 2),
        "members.gained": (1, 1),
        "visitors.applications": (1, 1),
        "visitors.members_via_form": (1, 1),
    }
    for year, links in reports.items():
        assert [(url, n) for url, n, rows in links if n != rows] == [], year
        left = [
            (n, rows) for url, n, rows in links if url.startswith(reverse("goals:members_left"))
        ]
        assert left == [(1, 1)], year
        assert len(links) >= 12, year
    for key, (in_2025, in_2026) in expected.items():
        for year, value in ((2025, in_2025), (2026, in_2026)):
            if value is None:
                assert key not in figures[year], (key, year)
            else:
                assert figures[year][key] == (value, value), (key, year)


def test_a_district_figure_on_the_dashboard_links_to_that_districts_meetings(client_as):
    with time_machine.travel(at(2026, 3, 1, 12)):
        records_on_both_sides_of_new_year()
        TargetFactory(
            goal=GoalFactory(year=2026), measure="meetings.chapter_meetings_held", target=11
        )
        client = client_as(BoardFunction.CHAIR)
        page = client.get(reverse("goals:index"), {"ar": 2026}).content.decode()

        links = dict(linked_numbers(page))
        by_district = {url: n for url, n in links.items() if "kommundel=" in url}
        assert sorted(by_district.values()) == [1, 1]
        for url in by_district:
            listing = client.get(url).content.decode()
            assert listing.count(ROW) == 1
        report = client.get(reverse("goals:report", args=[2026])).content.decode()
        in_report = [(url, n) for url, n in linked_numbers(report) if "kommundel=" in url]
        assert sorted(n for _, n in in_report) == [1, 1]
        for url, n in in_report:
            assert client.get(url).content.decode().count(ROW) == n
