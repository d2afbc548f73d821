"""The ordförande opens the goals dashboard and follows a goal to the records behind it."""

import pytest
from django.utils import timezone

from .fixtures.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_chair_follows_a_goal_from_the_dashboard_to_its_records(
    page, settings, fake_counters, demo
):
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False

    sign_in(page, "ordforande@example.org", "kretsdemo")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mål").click()

    # The demo lives in today's year; 2023 is the history the board can still open.
    this_year = timezone.localdate().year
    page.get_by_role("heading", name=f"Läget för målen {this_year}").wait_for()
    page.get_by_label("År", exact=True).select_option("2023")
    page.get_by_role("heading", name="Läget för målen 2023").wait_for()
    goal = page.get_by_test_id("goal-1")
    assert goal.get_by_role("heading").inner_text().startswith("Mål 1: Synliggöra")
    row = goal.get_by_test_id("figure").filter(has_text="Debattartiklar och pressmeddelanden")
    assert row.locator("strong").inner_text() == "3"
    assert "Ej uppnått" in row.inner_text()  # 3 of 8, and 2023 is over
    assert "Kvar i år" not in goal.inner_text()  # nothing is left of a finished year
    # A figure no app measures yet says so instead of showing zero.
    unmeasured = page.get_by_test_id("goal-4").get_by_test_id("figure").first
    assert "inte mätt" in unmeasured.inner_text()

    row.get_by_role("link", name="Underlag").click()

    page.get_by_role(
        "heading", name="Aktivitetslogg 2023: Debattartiklar och pressmeddelanden"
    ).wait_for()
    entries = page.get_by_test_id("log-entry")
    assert entries.count() == 3
    assert "Debattartikel om landsbygdens skolor" in entries.last.inner_text()
