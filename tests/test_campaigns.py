"""Campaigns and external communication as the board uses them."""

import datetime
import re
from collections import Counter as Tally
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from campaigns import selectors, services
from campaigns.models import ContentItem, Draw, PaidMarketing
from members.models import BodyAssignment, PartyPosition

from .factories import BodyAssignmentFactory, MemberFactory, PoliticalBodyFactory
from .fixtures.campaigns import ChannelFactory, CompetitionFactory, ContentItemFactory, EntryFactory

pytestmark = pytest.mark.django_db


def plan(month: datetime.date, *names: str, spent: bool = False) -> None:
    for name in names:
        amount = Decimal("500")
        PaidMarketing.objects.create(
            channel=ChannelFactory(name=name),
            month=month,
            planned=amount,
            spent=amount if spent else 0,
        )


class TestPaidMarketingRule:
    def test_next_month_with_one_channel_is_flagged_before_it_starts(self, client, person):
        plan(datetime.date(2026, 11, 1), "Facebook", "Instagram")
        plan(datetime.date(2026, 12, 1), "Facebook")
        user = person("kampanjansvarig")
        with time_machine.travel(datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)):
            # 23:30 UTC is already 1 December in Stockholm: December is this month now.
            flagged = [p.month for p in selectors.upcoming_months_lacking_channels()]
            assert flagged == [datetime.date(2026, 12, 1), datetime.date(2027, 1, 1)]
        with time_machine.travel(datetime.datetime(2026, 11, 30, 12, 0, tzinfo=datetime.UTC)):
            flagged = [p.month for p in selectors.upcoming_months_lacking_channels()]
            assert flagged == [datetime.date(2026, 12, 1)]
            client.force_login(user)
            page = client.get(reverse("overview")).content.decode()
            assert "Betald marknadsföring december 2026: planerad i 1 kanal" in page

    def test_warning_disappears_when_two_channels_are_planned(self, client, person):
        facebook, instagram = ChannelFactory(name="Facebook"), ChannelFactory(name="Instagram")
        user = person("valansvarig")
        with time_machine.travel(datetime.datetime(2026, 11, 20, 12, 0, tzinfo=datetime.UTC)):
            client.force_login(user)
            assert "planerad i 0 kanaler" in client.get(reverse("campaigns:index")).content.decode()
            url = reverse("campaigns:marketing_month", args=[2026, 12])
            response = client.post(
                url,
                {f"planned_{facebook.pk}": "1 200,50", f"planned_{instagram.pk}": "800"},
            )
            assert response.status_code == 302
            row = PaidMarketing.objects.get(channel=facebook, month=datetime.date(2026, 12, 1))
            assert row.planned == Decimal("1200.50")
            page = client.get(reverse("campaigns:index")).content.decode()
            assert "december 2026" not in page
            assert "planerad i 0 kanaler" in page  # November is still empty
            # Planned amounts show as Swedish money.
            marketing = client.get(reverse("campaigns:marketing") + "?ar=2026").content.decode()
            assert "2 000,50 kr" in marketing

    def test_months_with_paid_marketing_count_only_two_channels_within_the_year(self):
        plan(datetime.date(2023, 1, 1), "Facebook", "Instagram", spent=True)
        plan(datetime.date(2023, 2, 1), "Facebook", spent=True)  # one channel: not counted
        plan(datetime.date(2023, 12, 1), "Facebook", "Tidningen", spent=True)
        plan(datetime.date(2024, 1, 1), "Facebook", "Instagram", spent=True)  # next year
        plan(datetime.date(2023, 3, 1), "Facebook", "Instagram")  # planned, never spent
        year = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
        assert selectors.paid_marketing_months(*year) == 2
        assert (
            selectors.paid_marketing_months(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))
            == 0
        )

    def test_a_year_of_month_plans_is_one_query(self, django_assert_num_queries):
        plan(datetime.date(2023, 5, 1), "Facebook", "Instagram")
        with django_assert_num_queries(1):
            plans = selectors.month_plans(datetime.date(2023, 1, 1), 12)
        assert [p.channels for p in plans][3:6] == [0, 2, 0]


class TestContentFlow:
    def test_owner_moves_content_to_review_and_only_the_communications_officer_publishes(
        self, client, person
    ):
        owner_user = person("kampanjansvarig")
        item = ContentItemFactory(owner=owner_user.member)
        client.force_login(owner_user)
        for expected in ("utkast", "granskas"):
            client.post(reverse("campaigns:content_advance", args=[item.pk]))
            item.refresh_from_db()
            assert item.status == expected
        publish = reverse("campaigns:content_publish", args=[item.pk])
        assert client.post(publish).status_code == 403
        client.force_login(person("ordforande"))
        assert client.post(publish).status_code == 403
        item.refresh_from_db()
        assert item.status == ContentItem.Status.REVIEW

        client.force_login(person("kommunikationsansvarig"))
        response = client.post(
            publish, {"link": "https://example.org/inlagg", "published_on": "2026-12-02"}
        )
        assert response.status_code == 302
        item.refresh_from_db()
        assert item.status == "publicerad" and item.published_on == datetime.date(2026, 12, 2)

        client.force_login(owner_user)
        assert client.get(reverse("campaigns:content_edit", args=[item.pk])).status_code == 403

    def test_returning_needs_a_comment_and_sends_back_to_draft(self, client, person):
        item = ContentItemFactory(status="granskas")
        client.force_login(person("kommunikationsansvarig"))
        back = reverse("campaigns:content_return", args=[item.pk])
        page = client.post(back, {"comment": " "}, follow=True).content.decode()
        assert "Skriv en kommentar om vad som behöver ändras" in page
        client.post(back, {"comment": "Kortare rubrik, tack."})
        item.refresh_from_db()
        assert item.status == "utkast" and item.review_comment == "Kortare rubrik, tack."

    def test_press_release_names_the_ordinary_member_and_the_commissioner(self, client, person):
        body = PoliticalBodyFactory(name="Kunskapsnämnden")
        chair = BodyAssignmentFactory(body=body, role=BodyAssignment.Role.CHAIR)
        substitute = BodyAssignmentFactory(body=body, role=BodyAssignment.Role.SUBSTITUTE)
        commissioner = MemberFactory()
        PartyPosition.objects.create(
            member=commissioner, kind="kommunalrad", starts_on=datetime.date(2023, 1, 1)
        )
        item = ContentItemFactory(kind="pressmeddelande", body=body)
        client.force_login(person("ledamot"))
        page = client.get(reverse("campaigns:content_detail", args=[item.pk])).content.decode()
        assert "Talespersoner mot media" in page
        assert chair.member.full_name in page and commissioner.full_name in page
        assert substitute.member.full_name not in page

    def test_press_release_without_a_body_is_refused_in_swedish(self, client, person):
        client.force_login(person("kommunikationsansvarig"))
        response = client.post(
            reverse("campaigns:content_create"),
            {"kind": "pressmeddelande", "title": "Nytt", "planned_on": "2026-12-01"},
        )
        assert "Ange vilken nämnd eller vilket bolag" in response.content.decode()
        assert not ContentItem.objects.exists()

    def test_week_view_lists_the_weeks_content(self, client, person):
        ContentItemFactory(title="Måndagsinlägget", planned_on=datetime.date(2026, 11, 23))
        ContentItemFactory(title="Nästa vecka", planned_on=datetime.date(2026, 11, 30))
        client.force_login(person("ledamot"))
        page = client.get(
            reverse("campaigns:content") + "?vy=vecka&datum=2026-11-25"
        ).content.decode()
        assert "Måndagsinlägget" in page and "Nästa vecka" not in page


class TestDraw:
    def test_the_draw_is_logged_and_reproducible_from_its_seed(self, client, person):
        competition = CompetitionFactory()
        entries = [EntryFactory(competition=competition) for _ in range(7)]
        client.force_login(person("kommunikationsansvarig"))
        client.post(reverse("campaigns:draw", args=[competition.pk]), {"confirm": "1"})
        draw = Draw.objects.get(competition=competition)
        assert draw.entry_ids == sorted(e.pk for e in entries)
        assert draw.reproduces()
        assert Draw.pick(draw.seed, draw.entry_ids) == draw.winner_id
        page = client.get(
            reverse("campaigns:competition_detail", args=[competition.pk])
        ).content.decode()
        assert str(draw.seed) in page and draw.winner.name in page
        # A second draw changes nothing.
        client.post(reverse("campaigns:draw", args=[competition.pk]), {"confirm": "1"})
        assert Draw.objects.get(competition=competition).winner_id == draw.winner_id

    def test_every_entry_is_equally_likely(self):
        entry_ids = [11, 12, 13, 14, 15]
        draws = 10_000
        tally = Tally(Draw.pick(seed, entry_ids) for seed in range(draws))
        expected = draws / len(entry_ids)
        chi_square = sum((tally[e] - expected) ** 2 / expected for e in entry_ids)
        assert set(tally) == set(entry_ids)
        assert chi_square < 18.47  # 4 degrees of freedom, p = 0.001

    def test_no_draw_before_the_competition_ends_or_without_entries(self):
        running = CompetitionFactory(ends_on=datetime.date(2999, 1, 1))
        EntryFactory(competition=running)
        with pytest.raises(Exception, match="pågår fortfarande"):
            services.competition_draw(actor=None, competition=running)
        with pytest.raises(Exception, match="inga bidrag"):
            services.competition_draw(actor=None, competition=CompetitionFactory())

    def test_an_entry_needs_consent_to_be_contacted(self, client, person):
        competition = CompetitionFactory()
        client.force_login(person("kommunikationsansvarig"))
        page = client.post(
            reverse("campaigns:entry_add", args=[competition.pk]),
            {"name": "Kim", "contact": "kim@example.org"},
            follow=True,
        ).content.decode()
        assert "samtycker till att bli kontaktad" in page
        assert not competition.entries.exists()


def test_follower_counts_are_shown_as_a_growth_chart(client, person):
    facebook = ChannelFactory(name="Facebook")
    client.force_login(person("kommunikationsansvarig"))
    for month, count in (("2023-01", "640"), ("2023-02", "655"), ("2023-03", "700")):
        client.post(
            reverse("campaigns:channels"),
            {"foljare-channel": facebook.pk, "foljare-month": month, "foljare-followers": count},
        )
    page = client.get(reverse("campaigns:channels")).content.decode()
    assert page.count("<circle") == 3
    # SVG needs a decimal point whatever the page's language.
    assert not re.search(r'c[xy]="\d+,\d', page)
    assert "2023-03: 700" in page
    client.force_login(person("kampanjansvarig"))  # may add channels, not count followers
    response = client.post(
        reverse("campaigns:channels"),
        {"foljare-channel": facebook.pk, "foljare-month": "2023-04", "foljare-followers": "1"},
    )
    assert response.status_code == 403


def test_follower_count_is_written_by_the_service_and_logged_with_who_and_from_where(
    client, person
):
    from krets.models import AuditEvent

    facebook = ChannelFactory(name="Facebook")
    officer = person("kommunikationsansvarig")
    client.force_login(officer)
    for count in ("640", "650"):  # a second count for the month replaces the first
        client.post(
            reverse("campaigns:channels"),
            {
                "foljare-channel": facebook.pk,
                "foljare-month": "2023-01",
                "foljare-followers": count,
            },
            REMOTE_ADDR="192.0.2.7",
        )
    assert list(facebook.followers.values_list("followers", flat=True)) == [650]
    event = AuditEvent.objects.filter(action=AuditEvent.Action.COMMUNICATION_CHANGED).first()
    assert (event.actor, event.ip, event.target) == (officer, "192.0.2.7", f"channel:{facebook.pk}")
    assert event.detail == {"step": "followers", "month": "2023-01"}


def test_a_service_refuses_publishing_for_someone_without_the_right():
    from krets.errors import NotAllowed
    from tests.conftest import make_person

    item = ContentItemFactory(status="granskas")
    with pytest.raises(NotAllowed):
        services.content_publish(actor=make_person("kampanjansvarig"), item=item)
    item.refresh_from_db()
    assert item.status == "granskas"


def test_goal_counters_are_registered():
    from goals.registry import counter

    assert counter("campaigns.paid_marketing_months") is not None
    assert counter("campaigns.live_panels_held") is not None
    assert counter("campaigns.campaigns_held") is not None


def test_campaigns_held_counts_campaigns_under_way_in_the_year():
    from .fixtures.campaigns import CampaignFactory

    CampaignFactory(starts_on=datetime.date(2022, 11, 1), ends_on=datetime.date(2023, 1, 1))
    CampaignFactory(starts_on=datetime.date(2023, 12, 31), ends_on=datetime.date(2024, 2, 1))
    CampaignFactory(
        starts_on=datetime.date(2023, 5, 1), ends_on=datetime.date(2023, 5, 2), status="installd"
    )
    CampaignFactory(starts_on=datetime.date(2022, 1, 1), ends_on=datetime.date(2022, 12, 31))
    year = (datetime.date(2023, 1, 1), datetime.date(2023, 12, 31))
    assert selectors.campaigns_held(*year) == 2
    assert selectors.campaigns_held(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)) == 0


def test_amount_field_reads_swedish_amounts_and_shows_a_decimal_comma():
    from krets.forms import AmountField

    field = AmountField(max_digits=10, decimal_places=2)
    assert field.clean("1 200,50") == Decimal("1200.50")
    assert field.clean("1\xa0200 kr") == Decimal("1200")
    assert field.clean("99.5") == Decimal("99.5")
    assert field.widget.format_value(field.prepare_value(Decimal("1200.50"))) == "1200,50"
    with pytest.raises(Exception, match="Fyll i ett tal"):
        field.clean("tolv kronor")
