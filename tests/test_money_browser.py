"""Every way a Swede types an amount, typed into real forms in Chromium, in a Swedish and an
English browser: the fee form (dues) and a campaign's budget (campaigns)."""

from decimal import Decimal

import pytest
from django.test import Client

from campaigns.models import Campaign
from dues.models import Fee
from tests.conftest import make_person
from tests.factories import BoardAssignmentFactory
from tests.fixtures.campaigns import CampaignFactory

TYPED = [
    ("1 200,50", "1200.50"),
    ("1200,50", "1200.50"),
    ("1 200,50 kr", "1200.50"),
    ("1200.50", "1200.50"),
    ("1.200,50", "1200.50"),
    ("1\u00a0200,50", "1200.50"),
    (" 1 200,50 SEK ", "1200.50"),
    ("1 200", "1200.00"),
    ("250,00", "250.00"),  # the fee saved as 25 000,00 kr
]


def _signed_in_page(browser, live_server, locale: str):
    user = make_person("kassor")
    BoardAssignmentFactory(member=user.member, function="kampanjansvarig")
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, locale=locale)
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locale", ["sv-SE", "en-US"])
def test_every_amount_format_is_saved_as_meant_through_real_forms(browser, live_server, locale):
    context, page = _signed_in_page(browser, live_server, locale)
    try:
        for index, (typed, saved) in enumerate(TYPED):
            page.goto("/avgifter/avgiftsnivaer/")
            page.locator("#id_year").fill("2024")
            page.locator("#id_name").fill(f"Avgift {index}")
            amount = page.locator("#id_amount")
            assert amount.get_attribute("type") == "text"
            assert amount.get_attribute("inputmode") == "decimal"
            amount.fill(typed)
            page.locator("#id_due_on").fill("2024-03-31")
            page.get_by_role("button", name="Spara").click()
            page.get_by_text("Avgiften är sparad.").wait_for()
            assert Fee.objects.get(name=f"Avgift {index}").amount == Decimal(saved), typed

        campaign = CampaignFactory(budget=Decimal("0"))
        for typed, saved in TYPED:
            page.goto(f"/kampanjer/{campaign.pk}/andra/")
            budget = page.locator("#id_budget")
            assert budget.get_attribute("type") == "text"
            budget.fill(typed)
            page.get_by_role("button", name="Spara").click()
            page.get_by_text("Kampanjen är sparad.").wait_for()
            assert Campaign.objects.get(pk=campaign.pk).budget == Decimal(saved), typed

        # Ambiguous: a message in Swedish, what was typed kept, nothing saved.
        page.goto(f"/kampanjer/{campaign.pk}/andra/")
        page.locator("#id_budget").fill("1.200")
        page.get_by_role("button", name="Spara").click()
        page.get_by_text("kan läsas både som tusental och som decimaler").wait_for()
        assert page.locator("#id_budget").input_value() == "1.200"
        assert Campaign.objects.get(pk=campaign.pk).budget == Decimal("250.00")
    finally:
        context.close()
