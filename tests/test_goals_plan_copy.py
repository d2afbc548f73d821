"""Kopiera förra årets plan: the board starts a new year from the last year's plan."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from goals import services
from goals.models import Activity, Goal, LogEntry, Target
from krets.errors import Invalid
from krets.models import AuditEvent

from .fixtures.goals import ActivityFactory, GoalFactory, LogEntryFactory, TargetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_2025():
    members, visible = GoalFactory(year=2025, number=1), GoalFactory(year=2025, number=2)
    meetings = ActivityFactory(
        year=2025,
        title="Kretsmöten",
        responsible="sekreterare",
        starts_on=datetime.date(2025, 2, 1),
        ends_on=datetime.date(2025, 11, 30),
        order=2,
    )
    meetings.goals.set([members, visible])
    op_eds = ActivityFactory(year=2025, title="Debattartiklar", order=1)
    op_eds.goals.set([visible])
    TargetFactory(goal=members, label="Nya medlemmar", measure="members.gained", target=25)
    TargetFactory(goal=visible, label="Artiklar", measure="goals.logged", activity=op_eds, target=8)
    LogEntryFactory(activity=op_eds, happened_on=datetime.date(2025, 3, 1))
    return members, visible


def test_copy_carries_goals_activities_and_targets_into_the_new_year(plan_2025, person):
    chair = person("ordforande")
    services.year_plan_copy(actor=chair, from_year=2025, to_year=2026)

    goals = {goal.number: goal for goal in Goal.objects.filter(year=2026)}
    assert sorted(goals) == [1, 2]
    assert goals[1].title == plan_2025[0].title
    meetings = Activity.objects.get(year=2026, title="Kretsmöten")
    assert sorted(meetings.goals.values_list("number", flat=True)) == [1, 2]
    assert (meetings.starts_on, meetings.ends_on) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 11, 30),
    )
    assert meetings.responsible == "sekreterare"
    logged = Target.objects.get(goal__year=2026, label="Artiklar")
    # The logged target counts the new year's activity, not last year's log.
    assert logged.activity == Activity.objects.get(year=2026, title="Debattartiklar")
    assert Target.objects.get(goal__year=2026, label="Nya medlemmar").target == 25
    assert LogEntry.objects.filter(activity__year=2026).count() == 0
    # Last year's plan is untouched.
    assert Goal.objects.filter(year=2025).count() == 2
    assert Target.objects.filter(goal__year=2025).count() == 2
    event = AuditEvent.objects.get(action=AuditEvent.Action.PLAN_COPIED)
    assert event.actor == chair
    assert event.detail == {"from": 2025, "to": 2026, "goals": 2, "activities": 2, "targets": 2}


def test_copy_refuses_when_the_year_already_has_a_plan(plan_2025, person):
    GoalFactory(year=2026, number=1, title="Redan planerat")
    with pytest.raises(Invalid, match="redan en plan för 2026"):
        services.year_plan_copy(actor=person("ordforande"), from_year=2025, to_year=2026)
    assert Goal.objects.filter(year=2026).count() == 1
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PLAN_COPIED).exists()


@time_machine.travel(datetime.datetime(2026, 1, 8, 10, 0, tzinfo=datetime.UTC))
def test_chair_copies_last_years_plan_from_the_plan_page(plan_2025, client_as):
    client = client_as("ordforande")
    page = client.get(reverse("goals:plan")).content.decode()
    assert "Kopiera förra årets plan (2025) till 2026" in page

    response = client.post(reverse("goals:plan_copy") + "?ar=2026", follow=True)
    page = response.content.decode()
    assert "Planen för 2025 är kopierad till 2026" in page
    assert "Verksamhetsplan 2026" in page
    assert Goal.objects.filter(year=2026).count() == 2
    # Done once: the button is gone and pressing it again copies nothing.
    assert "Kopiera förra årets plan" not in page
    client.post(reverse("goals:plan_copy") + "?ar=2026")
    assert Goal.objects.filter(year=2026).count() == 2


@time_machine.travel(datetime.datetime(2026, 1, 8, 10, 0, tzinfo=datetime.UTC))
def test_board_members_who_may_not_change_the_plan_see_no_copy_button(plan_2025, client_as):
    page = client_as("kassor").get(reverse("goals:plan")).content.decode()
    assert "Kopiera förra årets plan" not in page
    assert client_as("kassor").post(reverse("goals:plan_copy") + "?ar=2026").status_code == 403
    assert not Goal.objects.filter(year=2026).exists()
