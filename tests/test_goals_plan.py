"""The year's plan: the 2023 demo plan, activities modelled once, the activity log."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from goals.models import Activity, Goal, LogEntry, Target
from krets.models import AuditEvent
from tests.factories import MemberFactory

from .fixtures.goals import ActivityFactory, GoalFactory, LogEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_demo_holds_the_2023_plan_with_each_activity_once(demo):
    goals = {goal.number: goal for goal in Goal.objects.filter(year=2023)}
    assert sorted(goals) == [1, 2, 3, 4, 5]
    assert goals[2].title == "Öka antalet medlemmar."
    # The plan lists 8, 5, 5, 1 and 1 activities under the goals; 12 different ones in all.
    assert [goals[n].activities.count() for n in range(1, 6)] == [8, 5, 5, 1, 1]
    assert Activity.objects.filter(year=2023).count() == 12
    debates = Activity.objects.get(year=2023, title="Delta på debatter, seminarier etc.")
    assert sorted(debates.goals.values_list("number", flat=True)) == [1, 2]
    politikerskola = Activity.objects.get(
        year=2023, title__startswith="Hålla åtminstone en politikerskola"
    )
    assert sorted(politikerskola.goals.values_list("number", flat=True)) == [3, 4]
    assert politikerskola.responsible == "utbildningsansvarig"
    assert Target.objects.get(goal__year=2023, measure="meetings.politikerskola_held").target == 1


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = [Goal.objects.count(), Activity.objects.count(), Target.objects.count()]
    counts.append(LogEntry.objects.count())

    call_command("load_demo", verbosity=0)

    assert [Goal.objects.count(), Activity.objects.count(), Target.objects.count()] + [
        LogEntry.objects.count()
    ] == counts


def test_plan_page_lists_each_activity_once_with_the_goals_it_serves(demo, client_as):
    page = client_as("ledamot").get(reverse("goals:plan") + "?ar=2023").content.decode()

    assert page.count("Delta på debatter, seminarier etc.") == 1
    assert page.count('data-testid="activity"') == 12
    assert page.count('data-testid="plan-goal"') == 5


def test_board_member_logs_an_entry_for_an_activity(client_as):
    activity = ActivityFactory(title="Debattartiklar")
    client = client_as("ledamot")

    response = client.post(
        reverse("goals:log") + f"?aktivitet={activity.pk}&ar=2023",
        {
            "activity": activity.pk,
            "happened_on": "2023-03-02",
            "what": "Debattartikel om skolan",
            "who": "Helena Granlund",
            "link": "https://example.org/artikel",
        },
    )

    entry = LogEntry.objects.get()
    assert (entry.activity, entry.happened_on, entry.link) == (
        activity,
        datetime.date(2023, 3, 2),
        "https://example.org/artikel",
    )
    assert response["Location"] == reverse("goals:log") + f"?aktivitet={activity.pk}&ar=2023"
    page = client.get(response["Location"]).content.decode()
    assert "Debattartikel om skolan" in page


def test_log_is_filtered_to_the_activity_and_year(client_as):
    activity, other = ActivityFactory(), ActivityFactory()
    LogEntryFactory(activity=activity, what="Räknas")
    LogEntryFactory(activity=other, what="Annan aktivitet")
    LogEntryFactory(activity=activity, what="Förra året", happened_on=datetime.date(2022, 5, 1))

    page = (
        client_as("ledamot")
        .get(reverse("goals:log") + f"?aktivitet={activity.pk}&ar=2023")
        .content.decode()
    )

    assert "Räknas" in page
    assert "Annan aktivitet" not in page and "Förra året" not in page


def test_board_member_may_remove_own_log_entry(client_as):
    client = client_as("ledamot")
    user = client.get(reverse("account")).wsgi_request.user
    entry = LogEntryFactory(created_by=user)

    client.post(reverse("goals:log_delete", args=[entry.pk]))

    assert not LogEntry.objects.exists()


def test_activity_serves_only_goals_of_its_year(client_as):
    GoalFactory(year=2023, number=1)
    other_year = GoalFactory(year=2024, number=1)

    response = client_as("ordforande").post(
        reverse("goals:activity_create") + "?ar=2023",
        {"year": 2023, "title": "Något", "goals": [other_year.pk]},
    )

    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_new_members_page_lists_joins_and_is_audited(client_as):
    MemberFactory(first_name="Ny", last_name="Medlem", joined_on=datetime.date(2023, 6, 1))
    MemberFactory(first_name="Gammal", last_name="Medlem", joined_on=datetime.date(2010, 6, 1))

    page = (
        client_as("medlemsansvarig")
        .get(reverse("goals:new_members") + "?fran=2023-01-01&till=2023-12-31")
        .content.decode()
    )

    assert "Ny Medlem" in page and "Gammal Medlem" not in page
    event = AuditEvent.objects.get(action=AuditEvent.Action.MEMBER_VIEWED)
    assert event.detail == {"read": "new_members", "filter": ["fran", "till"], "rows": 1}


def test_overview_shows_the_goals_panel_to_the_board_and_documents_to_the_publisher(
    demo, client_as
):
    client = client_as("kommunikationsansvarig")
    page = client.get(reverse("overview")).content.decode()

    # The goals panel loads after the page (htmx): its figures come from goals:overview_status.
    assert "Årets mål" in page and reverse("goals:overview_status") in page
    panel = client.get(reverse("goals:overview_status")).content.decode()
    # The demo lives in today's year: the panel shows this year's goals, not 2023's.
    assert str(timezone.localdate().year) in panel and "2023" not in panel
    assert 'data-testid="goals-panel"' in panel
    assert "Temagruppsdokument att publicera" in page and "Skolskjuts i glesbygd" in page
    page = client_as("kassor").get(reverse("overview")).content.decode()
    assert "Årets mål" in page and "Temagruppsdokument att publicera" not in page
    assert "Årets mål" not in client_as("medlem").get(reverse("overview")).content.decode()


def test_recruitment_target_is_the_plans_new_member_target(demo):
    from goals.selectors import recruitment_target

    assert recruitment_target(2023) == 25
    assert recruitment_target(2031) is None


# Fifteen of everything: one query per row would blow through each limit. The annual report
# also asks each registered counter once (the apps above goals register about ten).
@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("goals:plan", 16),
        ("goals:log", 16),
        ("goals:groups", 16),
        ("goals:programme", 16),
        ("goals:report_latest", 30),
    ],
)
def test_list_pages_take_a_fixed_number_of_queries(
    name, limit, client_as, django_assert_max_num_queries
):
    from .fixtures.goals import (
        ProgrammePointFactory,
        TargetFactory,
        ThemeDocumentFactory,
    )

    client = client_as("kommunikationsansvarig")
    for _ in range(15):
        goal = GoalFactory()
        activity = ActivityFactory(goals=[goal])
        TargetFactory(goal=goal, measure="goals.logged", activity=activity)
        LogEntryFactory(activity=activity)
        ThemeDocumentFactory(status="inlamnad")
        ProgrammePointFactory()
    url = reverse(name) + "?ar=2023"
    if name == "goals:report_latest":
        url = reverse("goals:report", args=[2023])

    with django_assert_max_num_queries(limit):
        response = client.get(url)

    assert response.status_code == 200


def test_removing_an_activity_takes_it_off_every_goal_it_served(client_as):
    first, second = GoalFactory(), GoalFactory()
    activity = ActivityFactory(goals=[first, second])
    LogEntryFactory(activity=activity)

    client_as("vice-ordforande").post(reverse("goals:activity_delete", args=[activity.pk]))

    assert first.activities.count() == second.activities.count() == 0
    assert not LogEntry.objects.exists()


def test_programme_link_is_added_and_removed(client_as):
    from goals.models import ProgrammeLink

    from .fixtures.goals import ProgrammePointFactory

    point = ProgrammePointFactory()
    client = client_as("ordforande")
    url = reverse("goals:point_edit", args=[point.pk])

    client.post(url, {"lank-kind": "beslut", "lank-title": "KF-beslut", "lank-url": "https://x.se"})
    link = ProgrammeLink.objects.get(point=point)
    assert link.title == "KF-beslut"
    assert "KF-beslut" in client.get(reverse("goals:programme")).content.decode()

    client.post(reverse("goals:link_delete", args=[link.pk]))
    assert not ProgrammeLink.objects.exists()
