"""The busiest pages of a board member stay within 15 SQL queries on the demo (issue 14, the
load benchmark): an N+1 or a repeated lookup fails here before it slows the portal."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import Member, User

pytestmark = pytest.mark.usefixtures("tasks_in_process")
MAX_QUERIES = 15


@pytest.fixture
def demo(db, settings):
    settings.KRETS_REQUIRE_MFA = False
    call_command("load_demo", verbosity=0)


@pytest.mark.parametrize("email", ["ordforande@example.org", "kassor@example.org"])
def test_board_pages_stay_within_the_query_budget(
    demo, client, django_assert_max_num_queries, email
):
    client.force_login(User.objects.get(email=email))
    member = Member.objects.filter(user__isnull=True).order_by("pk").first()
    urls = [
        reverse("overview"),
        reverse("members:list"),
        reverse("members:list") + "?status=alla&q=Lind",
        reverse("members:detail", kwargs={"pk": member.pk}),
        reverse("dues:index"),
        reverse("meetings:feed"),
        # Pages with a chart: each chart is one query at most (issue 15).
        reverse("newsletters:index"),
        reverse("members:statistics"),
    ]
    for url in urls:
        client.get(url)  # the first request fills the per-minute caches a server keeps warm
        with django_assert_max_num_queries(MAX_QUERIES + 2):  # + BEGIN/COMMIT of the session
            response = client.get(url)
        assert response.status_code in (200, 403), url


def test_the_overview_names_the_board_functions_from_the_rights(demo, client):
    client.force_login(User.objects.get(email="ordforande@example.org"))
    page = client.get(reverse("overview")).content.decode()
    assert "Dina uppdrag" in page and "<li>Ordförande</li>" in page


@pytest.mark.parametrize("email", ["ordforande@example.org", "kassor@example.org"])
def test_goals_dashboard_costs_one_query_per_counter_and_none_for_its_chart(
    demo, client, django_assert_max_num_queries, email
):
    """The dashboard asks each app's counter once (one query, two with a split by district) and
    shows the panels apps above contribute (their own cost, measured here); everything else, the
    chart included, is a fixed number of queries, whatever the plan holds."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from goals import registry
    from goals.models import Target
    from members.selectors import rights_for_user

    year = timezone.localdate().year
    user = User.objects.get(email=email)
    measures = set(Target.objects.filter(goal__year=year).values_list("measure", flat=True))
    counters = [registry.counter(m) for m in measures if m != "goals.logged"]
    per_counter = sum(1 + (c.by_district is not None) for c in counters if c is not None)
    with CaptureQueriesContext(connection) as panels:
        registry.panels(year, rights_for_user(user))
    # Session, user, rights (2), plan years, log entries, goals, targets, activities.
    fixed = 9
    client.force_login(user)
    url = reverse("goals:index")
    client.get(url)
    budget = fixed + per_counter + len(panels.captured_queries)
    with django_assert_max_num_queries(budget + 2):  # + BEGIN/COMMIT
        response = client.get(url)
    assert response.status_code == 200
    assert 'data-testid="goals-chart"' in response.content.decode()
