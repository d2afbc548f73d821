"""Issue 15's pictures and year switches: dues paid over the year, goals progress and newsletter
reach as server-drawn SVG with their numbers in a table; every per-year page has the same year
switch; a month without meetings says so."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dues import services as dues_services
from dues.selectors import paid_by_month
from krets.mail.models import Delivery, MailSend
from newsletters.models import Newsletter
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for
from tests.fixtures.goals import GoalFactory, TargetFactory

pytestmark = pytest.mark.django_db

MID_2023 = datetime.datetime(2023, 7, 2, 10, tzinfo=datetime.UTC)


def figure(page: str, testid: str) -> str:
    match = re.search(rf'<figure[^>]*data-testid="{testid}".*?</figure>', page, re.S)
    assert match, f"no chart {testid}"
    return match.group(0)


def table_rows(chart: str) -> list[list[str]]:
    body = chart.split("<tbody>")[1].split("</tbody>")[0]
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in body.split("</tr>") if row]


def assert_accessible_chart(chart: str) -> None:
    svg = re.search(r"<svg[^>]*>", chart).group(0)
    assert 'role="img"' in svg and 'aria-label="' in svg
    assert "viewBox=" in svg and 'width="100%"' in svg
    assert "<figcaption" in chart and "<details>" in chart and "<caption" in chart
    assert "style=" not in chart  # the CSP forbids style attributes


@time_machine.travel(MID_2023)
def test_dues_page_draws_paid_month_by_month_against_invoiced(client_as):
    first, second = invoice_for(MemberFactory()), invoice_for(MemberFactory())
    for invoice, amount, day in [
        (first, "200", datetime.date(2022, 12, 20)),  # paid before the year: January
        (second, "50", datetime.date(2023, 3, 5)),
        (second, "100", datetime.date(2023, 3, 25)),
    ]:
        dues_services.payment_register(
            invoice=invoice, amount=Decimal(amount), paid_on=day, method="swish"
        )

    page = client_as("kassor").get(reverse("dues:index") + "?ar=2023").content.decode()

    chart = figure(page, "dues-paid-chart")
    assert_accessible_chart(chart)
    assert "350,00 kr av 400,00 kr fakturerat (88 %)" in chart
    rows = table_rows(chart)
    assert [row[0] for row in rows][:3] == ["januari", "februari", "mars"]
    assert rows[0][1:] == ["200,00 kr", "400,00 kr"]
    assert rows[2][1] == "350,00 kr"  # cumulative
    assert rows[6][1] == "350,00 kr" and rows[7][1] == "–"  # July is today; August is to come
    assert chart.count("<circle") == 7


def test_paid_by_month_is_one_query(django_assert_num_queries):
    invoice = invoice_for(MemberFactory(), year=2023)
    dues_services.payment_register(
        invoice=invoice, amount=Decimal("80"), paid_on=datetime.date(2024, 2, 1), method="swish"
    )
    with django_assert_num_queries(1):
        paid = paid_by_month(year=2023)
    assert paid[12] == Decimal("80")  # paid after the year: December
    assert sum(paid.values()) == Decimal("80")


@time_machine.travel(MID_2023)
def test_goals_dashboard_draws_each_figure_against_its_target(
    client_as, django_assert_max_num_queries
):
    goal = GoalFactory(number=1)
    TargetFactory(goal=goal, measure="members.gained", target=10, label="Nya medlemmar")
    for _ in range(3):
        MemberFactory(joined_on=datetime.date(2023, 2, 1))
    client = client_as("ordforande")

    page = client.get(reverse("goals:index") + "?ar=2023").content.decode()

    chart = figure(page, "goals-chart")
    assert_accessible_chart(chart)
    assert "3 av 10 (30 %)" in chart
    assert table_rows(chart)[0] == ["Mål 1: Nya medlemmar", "3", "10", "5"]
    assert "Strecket visar var siffran borde vara i dag." in chart
    assert chart.count("<line") == 1  # the tick at "borde vara i dag"


@time_machine.travel(MID_2023)
def test_a_finished_years_goals_chart_has_no_tick_for_today(client_as):
    goal = GoalFactory(number=1, year=2022)
    TargetFactory(goal=goal, measure="members.gained", target=4, label="Nya medlemmar")
    for _ in range(5):
        MemberFactory(joined_on=datetime.date(2022, 2, 1))

    page = client_as("ordforande").get(reverse("goals:index") + "?ar=2022").content.decode()

    chart = figure(page, "goals-chart")
    assert "1 av 1 mätetal 2022 har nått sitt mål." in chart
    assert "5 av 4 (125 %)" in chart and "<line" not in chart and "Borde vara" not in chart
    assert table_rows(chart)[0] == ["Mål 1: Nya medlemmar", "5", "4"]


@time_machine.travel(MID_2023)
def test_newsletter_reach_shows_delivered_of_recipients_per_letter(client_as):
    for subject, day, states in [
        ("Mars", 3, ["sent", "sent", "failed"]),
        ("Juni", 6, ["sent"]),
    ]:
        send = MailSend.objects.create(
            kind="newsletter", key=subject, state=MailSend.State.DONE, chunk_size=50
        )
        for number, state in enumerate(states):
            Delivery.objects.create(send=send, chunk=0, email=f"{number}@example.org", state=state)
        Newsletter.objects.create(
            subject=subject,
            body="x",
            state=Newsletter.State.SENT,
            sent_at=datetime.datetime(2023, day, 10, 8, tzinfo=datetime.UTC),
            mail_send=send,
        )
    Newsletter.objects.create(
        subject="Förra året",
        body="x",
        state=Newsletter.State.SENT,
        sent_at=datetime.datetime(2022, 5, 1, tzinfo=datetime.UTC),
    )

    page = client_as("kommunikationsansvarig").get(reverse("newsletters:index")).content.decode()

    chart = figure(page, "newsletter-reach-chart")
    assert_accessible_chart(chart)
    assert table_rows(chart) == [["10 mars: Mars", "2", "3"], ["10 juni: Juni", "1", "1"]]
    assert "2 nyhetsbrev 2023 nådde 3 av 4 mottagare sammanlagt." in chart
    last_year = client_as("kommunikationsansvarig").get(reverse("newsletters:index") + "?ar=2022")
    # Sent without the mail engine's record: how many it reached is unknown, not "0 av 0".
    old_chart = figure(last_year.content.decode(), "newsletter-reach-chart")
    assert table_rows(old_chart) == [["1 maj: Förra året", "–", "–"]]
    assert "okänt" in old_chart and "0 av 0" not in old_chart
    assert "hur många de nådde är inte registrerat" in old_chart


PER_YEAR_PAGES = [
    ("ordforande", "members:statistics", {}),
    ("ordforande", "goals:index", {}),
    ("ordforande", "goals:plan", {}),
    ("ordforande", "goals:log", {}),
    ("kassor", "dues:index", {}),
    ("ordforande", "visitors:funnel_year", {}),
    ("ordforande", "newsletters:index", {}),
    ("ordforande", "campaigns:marketing", {}),
]


@pytest.mark.parametrize(("role", "name", "kwargs"), PER_YEAR_PAGES)
def test_every_per_year_page_has_the_year_switch(client_as, role, name, kwargs):
    GoalFactory(year=2021)
    GoalFactory(year=2023)
    response = client_as(role).get(reverse(name, kwargs=kwargs) + "?ar=2023&sida=3")
    page = response.content.decode()
    switch = re.search(r'<nav[^>]*data-testid="year-switch".*?</nav>', page, re.S)
    assert switch, name
    switch = switch.group(0)
    assert '<option value="2023" selected>' in switch
    # The year before is one step away and the page number is left behind.
    assert re.search(r'href="\?ar=20(22|21)" rel="prev"', switch), switch


def test_year_switch_keeps_the_pages_filters(client_as):
    page = client_as("kassor").get(reverse("dues:index") + "?ar=2023&status=obetald&q=Lind")
    switch = re.search(r'<nav[^>]*data-testid="year-switch".*?</nav>', page.content.decode(), re.S)
    html = switch.group(0)
    assert 'href="?ar=2022&amp;status=obetald&amp;q=Lind" rel="prev"' in html
    assert '<input type="hidden" name="status" value="obetald">' in html


def test_a_malformed_year_falls_back_with_a_message_not_a_500(client_as):
    response = client_as("ordforande").get(reverse("visitors:funnel_year") + "?ar=abc")
    assert response.status_code == 200
    assert f"Rekrytering {timezone.localdate().year}" in response.content.decode()
    assert "kunde inte läsas" in response.content.decode()


@pytest.mark.parametrize("name", ["meetings:plan", "goals:report"])
def test_a_year_in_the_path_switches_by_links(client_as, name):
    page = client_as("ordforande").get(reverse(name, args=[2023])).content.decode()
    assert f'href="{reverse(name, args=[2022])}" rel="prev"' in page
    assert f'href="{reverse(name, args=[2024])}" rel="next"' in page


def test_a_month_without_meetings_says_so(client_as):
    page = client_as("ordforande").get(reverse("meetings:month", args=[2031, 2])).content.decode()
    assert 'data-testid="month-empty"' in page and "Inga möten i februari." in page
    assert "calendar-month cal-none" in page  # on a phone the empty list is not drawn


def test_a_month_with_a_meeting_lists_it_and_says_nothing_of_none(client_as):
    from tests.fixtures.meetings import MeetingFactory

    MeetingFactory(starts_at=datetime.datetime(2031, 2, 10, 17, tzinfo=datetime.UTC))
    page = client_as("ordforande").get(reverse("meetings:month", args=[2031, 2])).content.decode()
    assert "Inga möten i" not in page and "cal-none" not in page
