"""Targets measured from the records: each counter at the year's boundaries and at zero, and a
figure nobody measures shows as "inte mätt", never as zero."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse

from goals import registry
from goals.selectors import Status, year_progress
from tests.factories import MemberFactory

from .fixtures.goals import ActivityFactory, GoalFactory, LogEntryFactory, TargetFactory

pytestmark = pytest.mark.django_db

# The figures other apps register (meetings, newsletters, campaigns).
OTHER_APPS = [
    "meetings.trainings_held",
    "meetings.politikerskola_held",
    "meetings.chapter_meetings_held",
    "newsletters.sent",
    "campaigns.paid_marketing_months",
    "campaigns.live_panels_held",
]
# One day each side of both of the year's boundaries: only the middle two are in 2023.
BOUNDARIES = [
    datetime.date(2022, 12, 31),
    datetime.date(2023, 1, 1),
    datetime.date(2023, 12, 31),
    datetime.date(2024, 1, 1),
]
AFTER_2023 = datetime.date(2024, 2, 1)


def only_figure(year: int = 2023):
    (goal,) = year_progress(year, today=AFTER_2023)
    (figure,) = goal.figures
    return figure


@pytest.mark.parametrize("key", OTHER_APPS)
def test_counter_counts_only_records_inside_the_year(key, fake_counters):
    TargetFactory(measure=key, target=2)
    fake_counters.add(key, *BOUNDARIES)

    figure = only_figure()

    assert figure.actual == 2
    assert figure.status == Status.REACHED
    assert figure.records_url == f"/poster/{key}/?fran=2023-01-01&till=2023-12-31"


@pytest.mark.parametrize("key", OTHER_APPS)
def test_registered_counter_with_no_records_is_zero(key, fake_counters):
    TargetFactory(measure=key, target=3)
    fake_counters.add(key)

    figure = only_figure()

    assert figure.actual == 0
    assert figure.left == 3
    assert figure.status == Status.BEHIND


@pytest.mark.parametrize("key", OTHER_APPS)
def test_unregistered_counter_is_not_measured_never_zero(key, fake_counters, client_as):
    TargetFactory(measure=key, target=3, label="Det vi inte mäter")

    figure = only_figure()
    assert figure.actual is None
    assert figure.left is None
    assert figure.status == Status.NOT_MEASURED

    response = client_as("ordforande").get(reverse("goals:index") + "?ar=2023")
    row = next(r for r in response.content.decode().split("<tr") if "Det vi inte mäter" in r)
    assert "inte mätt" in row
    assert "<strong>0</strong>" not in row


def test_members_gained_counts_joins_inside_the_year(fake_counters):
    TargetFactory(measure="members.gained", target=25)
    for day in BOUNDARIES:
        MemberFactory(joined_on=day)

    figure = only_figure()

    assert figure.actual == 2
    assert figure.left == 23
    assert figure.records_url == reverse("goals:new_members") + "?fran=2023-01-01&till=2023-12-31"


def test_members_gained_is_zero_not_unmeasured_when_nobody_joined(fake_counters):
    TargetFactory(measure="members.gained", target=25)
    MemberFactory(joined_on=datetime.date(2015, 1, 1))

    assert only_figure().actual == 0


def test_logged_target_counts_its_activitys_entries_inside_the_year(fake_counters):
    goal = GoalFactory()
    op_eds, other = ActivityFactory(goals=[goal]), ActivityFactory(goals=[goal])
    TargetFactory(goal=goal, measure="goals.logged", activity=op_eds, target=8)
    for day in BOUNDARIES:
        LogEntryFactory(activity=op_eds, happened_on=day)
    LogEntryFactory(activity=other, happened_on=datetime.date(2023, 6, 1))

    figure = only_figure()

    assert figure.actual == 2
    assert figure.records_url == reverse("goals:log") + f"?aktivitet={op_eds.pk}&ar=2023"


def test_logged_target_with_no_entries_is_zero(fake_counters):
    goal = GoalFactory()
    activity = ActivityFactory(goals=[goal])
    TargetFactory(goal=goal, measure="goals.logged", activity=activity, target=1)

    assert only_figure().actual == 0


@pytest.mark.parametrize(
    ("done", "status"), [(5, Status.BEHIND), (6, Status.ON_TRACK), (12, Status.REACHED)]
)
def test_mid_year_a_monthly_target_is_on_track_when_half_is_done(done, status, fake_counters):
    TargetFactory(measure="newsletters.sent", target=12)
    fake_counters.add("newsletters.sent", *[datetime.date(2023, 1, 10)] * done)

    # 2 July is day 183 of 365: half of twelve should be done.
    (goal,) = year_progress(2023, today=datetime.date(2023, 7, 2))
    (figure,) = goal.figures

    assert figure.expected_now == 6
    assert figure.status == status
    assert figure.left == 12 - done


def test_chapter_meetings_show_per_district(fake_counters, client_as):
    TargetFactory(measure="meetings.chapter_meetings_held", target=11)
    fake_counters.add("meetings.chapter_meetings_held", datetime.date(2023, 3, 1), district="Järbo")
    fake_counters.add(
        "meetings.chapter_meetings_held", datetime.date(2023, 4, 5), district="Gysinge"
    )

    assert only_figure().by_district == {"Järbo": 1, "Gysinge": 1}
    page = client_as("ledamot").get(reverse("goals:index") + "?ar=2023").content.decode()
    assert "Per kommundel" in page and "Järbo: 1" in page


@time_machine.travel(datetime.datetime(2023, 7, 2, 12, tzinfo=datetime.UTC))
def test_dashboard_shows_actual_target_what_is_left_and_a_link_to_the_records(
    fake_counters, client_as, django_assert_max_num_queries
):
    for number in range(1, 6):
        goal = GoalFactory(number=number)
        TargetFactory(goal=goal, measure="newsletters.sent", target=12, label=f"Brev {number}")
        TargetFactory(goal=goal, measure="campaigns.live_panels_held", target=3)
    fake_counters.add("newsletters.sent", *[datetime.date(2023, 2, 1)] * 4)
    client = client_as("ordforande")

    with django_assert_max_num_queries(14):
        response = client.get(reverse("goals:index"))

    page = response.content.decode()
    # The goal's own table (the chart's table of numbers above it names "Brev 1" too).
    row = next(r for r in page.split("<tr") if "Brev 1" in r and 'data-testid="figure"' in r)
    assert "<strong>4</strong>" in row  # actual
    assert ">12<" in row  # target
    assert ">6<" in row  # due by 2 July
    assert ">8<" in row  # left this year
    assert "Efter" in row
    assert "/poster/newsletters.sent/?fran=2023-01-01&amp;till=2023-07-02" in row


def test_every_counter_owns_its_label_and_goals_lists_no_other_apps_keys():
    # Registered by each app's own goals_counters.py; goals itself names only members' figures.
    for key in [*OTHER_APPS, "meetings.training_participants", "campaigns.campaigns_held"]:
        counter = registry.counter(key)
        assert counter is not None and str(counter.label) and str(counter.label) != key
    # The rules (not the demo's data, nor a docstring's example) name no other app's figure.
    goals = Path(registry.__file__).parent
    rules = "".join((goals / name).read_text() for name in ("selectors.py", "models.py"))
    for key in OTHER_APPS:
        assert key not in rules
    assert not hasattr(registry, "KNOWN")


def test_link_to_new_members_shows_only_to_those_who_may_read_names(fake_counters, client_as):
    TargetFactory(measure="members.gained", target=25)
    url = reverse("goals:new_members")

    assert url in client_as("medlemsansvarig").get(reverse("goals:index")).content.decode()
    assert url not in client_as("ledamot").get(reverse("goals:index")).content.decode()


def test_during_the_year_nothing_after_today_counts_as_done(fake_counters):
    TargetFactory(measure="meetings.chapter_meetings_held", target=11)
    fake_counters.add(
        "meetings.chapter_meetings_held",
        datetime.date(2023, 3, 1),
        datetime.date(2023, 7, 2),
        datetime.date(2023, 7, 3),  # planned, not yet held
    )

    (goal,) = year_progress(2023, today=datetime.date(2023, 7, 2))
    (figure,) = goal.figures

    assert figure.actual == 2
    assert figure.records_url.endswith("?fran=2023-01-01&till=2023-07-02")
