"""Demo campaigns, channels, paid marketing, content, a live panel and a competition."""

import datetime
from decimal import Decimal

from django.utils import timezone

from goals.models import Goal, ProfileIssue
from krets.demo import HISTORY_YEAR, days_from_today, demo_year, past_months
from members.demo import demo_members
from members.models import District, Member, PoliticalBody

from .models import (
    Campaign,
    Channel,
    Competition,
    CompetitionEntry,
    ContentItem,
    FieldActivity,
    FollowerCount,
    LivePanel,
    PaidMarketing,
    first_of_month,
    next_month,
)

CHANNELS = ["Facebook", "Instagram", "Sandvikens Tidning"]


def adopt() -> None:
    """A database with only the demo's members is the demo's (see goals.demo.adopt)."""
    Channel.objects.filter(demo=False).update(demo=True)
    Campaign.objects.filter(demo=False).update(demo=True)


def _channels() -> dict:
    """The demo's channels. A chapter's own channel of the same name (names are unique) keeps
    its marketing to itself: the demo then books nothing in that channel."""
    channels = {}
    for name in CHANNELS:
        channel, _ = Channel.objects.get_or_create(name=name, defaults={"demo": True})
        if channel.demo:
            channels[name] = channel
    return channels


def load(stdout=None) -> None:
    channels = _channels()
    # 2023: paid marketing every month in Facebook and Instagram, as the plan asks.
    month = datetime.date(2023, 1, 1)
    followers = {"Facebook": 640, "Instagram": 210}
    while month.year == 2023:
        for name, amount in (("Facebook", Decimal("600")), ("Instagram", Decimal("400"))):
            if name not in channels:
                continue
            PaidMarketing.objects.update_or_create(
                channel=channels[name], month=month, defaults={"planned": amount, "spent": amount}
            )
            FollowerCount.objects.update_or_create(
                channel=channels[name],
                month=month,
                defaults={
                    "followers": followers[name] + month.month * (14 if name == "Facebook" else 9)
                },
            )
        month = next_month(month)
    # This year: paid marketing in both channels every month so far (spent as planned) ...
    for month in past_months(12) if demo_year() != HISTORY_YEAR else []:
        for name, amount in (("Facebook", Decimal("600")), ("Instagram", Decimal("400"))):
            if name not in channels:
                continue
            PaidMarketing.objects.get_or_create(
                channel=channels[name], month=month, defaults={"planned": amount, "spent": amount}
            )
            FollowerCount.objects.get_or_create(
                channel=channels[name],
                month=month,
                defaults={"followers": (900 if name == "Facebook" else 320) + month.month * 11},
            )
    # ... and this month is planned in one channel only, so the overview shows the warning.
    this_month = first_of_month(timezone.localdate())
    if "Facebook" in channels:
        PaidMarketing.objects.get_or_create(
            channel=channels["Facebook"], month=this_month, defaults={"planned": Decimal("500")}
        )
    for name, amount in (("Facebook", Decimal("600")), ("Instagram", Decimal("400"))):
        if name not in channels:
            continue
        PaidMarketing.objects.get_or_create(
            channel=channels[name], month=next_month(this_month), defaults={"planned": amount}
        )

    campaign, _ = Campaign.objects.get_or_create(
        name="Landsbygden lever",
        demo=True,
        defaults={
            "purpose": "Synliggöra vår landsbygdspolitik i kommundelarna utanför centralorten.",
            "starts_on": datetime.date(2023, 4, 1),
            "ends_on": datetime.date(2023, 6, 30),
            "mode": Campaign.Mode.BOTH,
            "owner_function": "kampanjansvarig",
            "budget": Decimal("8000"),
            "status": Campaign.Status.DONE,
        },
    )
    campaign.goals.add(*Goal.objects.filter(year=2023, number__in=[1, 2], demo=True))
    campaigner = demo_members().filter(email="kampanjansvarig@example.org").first()
    if demo_year() != HISTORY_YEAR:
        _this_years_campaign(campaigner)
    for kind, day, district, talks in [
        (FieldActivity.Kind.MARKET_STAND, datetime.date(2023, 4, 15), "Storvik", 34),
        (FieldActivity.Kind.DOOR_KNOCKING, datetime.date(2023, 5, 6), "Järbo", 52),
        (FieldActivity.Kind.SITE_VISIT, datetime.date(2023, 5, 24), "Årsunda", 12),
    ]:
        activity, created = FieldActivity.objects.get_or_create(
            campaign=campaign,
            kind=kind,
            date=day,
            defaults={
                "district": District.objects.filter(name=district).first(),
                "conversations": talks,
            },
        )
        if created and campaigner:
            activity.people.add(campaigner)

    owner = Member.objects.filter(email="kommunikationsansvarig@example.org").first()
    if owner:
        ContentItem.objects.get_or_create(
            title="Fler platser i förskolan i Storvik",
            defaults={
                "kind": ContentItem.Kind.PRESS_RELEASE,
                "owner": owner,
                "planned_on": timezone.localdate() + datetime.timedelta(days=3),
                "profile_issue": ProfileIssue.objects.get_or_create(name="Skola och förskola")[0],
                "goal": Goal.objects.filter(year=demo_year(), number=1, demo=True).first(),
                "body": PoliticalBody.objects.filter(name="Kunskapsnämnden").first(),
                "status": ContentItem.Status.REVIEW,
                "text": "Centerpartiet i Sandviken vill bygga ut förskolan i Storvik.",
            },
        )
        ContentItem.objects.get_or_create(
            title="Video: en dag på landsbygden",
            defaults={
                "kind": ContentItem.Kind.VIDEO,
                "owner": owner,
                "planned_on": timezone.localdate() + datetime.timedelta(days=8),
                "profile_issue": ProfileIssue.objects.get_or_create(name="Landsbygd")[0],
            },
        )
    LivePanel.objects.get_or_create(
        topic="Hur får vi fler företag till Sandviken?",
        defaults={
            "starts_at": timezone.make_aware(datetime.datetime(2023, 10, 18, 19, 0)),
            "status": LivePanel.Status.HELD,
            "guests": "Företagarna Sandviken",
            "follow_up": "Ca 40 frågor i chatten; uppföljning med näringslivschefen.",
        },
    )
    competition, _ = Competition.objects.get_or_create(
        title="Gissa antalet äpplen",
        defaults={
            "starts_on": datetime.date(2023, 9, 1),
            "ends_on": datetime.date(2023, 9, 15),
            "rules": "Gissa antalet äpplen i korgen på vår Facebooksida. Närmast vinner.",
        },
    )
    for name in ["Kim Nyström", "Alva Lund", "Sixten Berg"]:
        CompetitionEntry.objects.get_or_create(
            competition=competition,
            name=name,
            defaults={"contact": f"{name.split()[0].lower()}@example.org", "consent": True},
        )
    if stdout:
        stdout.write(
            f"campaigns: {len(CHANNELS)} channels, campaigns and paid marketing for 2023 and "
            f"{demo_year()}"
        )


def _this_years_campaign(campaigner) -> None:
    """A campaign running now, serving this year's goals, with field work done so far."""
    campaign, _ = Campaign.objects.update_or_create(
        name=f"Hela Sandviken ska leva {demo_year()}",
        demo=True,
        defaults={
            "purpose": "Möta väljare i varje kommundel och värva nya medlemmar.",
            "starts_on": days_from_today(-30),
            "ends_on": days_from_today(45),
            "mode": Campaign.Mode.BOTH,
            "owner_function": "kampanjansvarig",
            "budget": Decimal("10000"),
            "status": Campaign.Status.RUNNING,
        },
    )
    campaign.goals.add(*Goal.objects.filter(year=demo_year(), number__in=[1, 2], demo=True))
    for kind, days_ago, district, talks in [
        (FieldActivity.Kind.MARKET_STAND, 21, "Sandviken", 41),
        (FieldActivity.Kind.DOOR_KNOCKING, 9, "Storvik", 37),
    ]:
        activity, created = FieldActivity.objects.get_or_create(
            campaign=campaign,
            kind=kind,
            defaults={
                "date": days_from_today(-days_ago),
                "district": District.objects.filter(name=district).first(),
                "conversations": talks,
            },
        )
        if created and campaigner:
            activity.people.add(campaigner)
