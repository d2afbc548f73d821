"""A newcomer signs in to the demo in a real browser and sees a Swedish portal."""

import pytest

from .fixtures.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_chair_signs_in_and_sees_the_swedish_overview(page, settings, demo):
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False

    sign_in(page, "ordforande@example.org", "kretsdemo")

    assert page.locator("html").get_attribute("lang") == "sv"
    page.get_by_role("heading", name="Översikt").wait_for()
    assert page.get_by_test_id("demo-banner").is_visible()
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert menu.get_by_role("link", name="Styrelsen").is_visible()
    assert menu.get_by_role("link", name="Logg").is_visible()
    assert page.get_by_role("heading", name="Dina uppdrag").is_visible()
    assert page.get_by_text("Ordförande").first.is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_board_member_without_two_factor_is_asked_to_set_it_up(page, demo):
    # Outside demo mode (the suite's default): two-factor is required.

    sign_in(page, "kassor@example.org", "kretsdemo")

    page.get_by_role("heading", name="Mitt konto").wait_for()
    assert page.get_by_text("Slå på tvåfaktorsinloggning").first.is_visible()
    menu = page.get_by_role("navigation", name="Huvudmeny")
    assert not menu.get_by_role("link", name="Styrelsen").is_visible()
