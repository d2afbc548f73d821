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
        reverse("goals:index"),
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
