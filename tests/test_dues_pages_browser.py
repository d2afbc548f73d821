"""The kassör's credit-note form and the write-off question in Chromium, on a phone's width."""

from decimal import Decimal

import pytest
from django.test import Client

from dues.models import CreditNote, DuesInvoice
from tests.conftest import make_person
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for


def _kassor_page(browser, live_server):
    client = Client()
    client.force_login(make_person("kassor"))
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 375, "height": 800}
    )
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_kassor_credits_an_invoice_typed_the_swedish_way_then_writes_off_the_rest(
    browser, live_server
):
    invoice = invoice_for(MemberFactory(), year=2031, amount="1500.00")
    context, page = _kassor_page(browser, live_server)
    try:
        page.goto(f"/avgifter/avi/{invoice.pk}/")
        page.get_by_role("link", name="Kreditera avin").click()
        amount = page.get_by_label("Krediterat belopp")
        assert amount.get_attribute("type") == "text"
        assert amount.get_attribute("inputmode") == "decimal"
        amount.fill("1 200,50 kr")
        page.get_by_label("Orsak").fill("Hedersmedlem från mars")
        page.get_by_role("button", name="Kreditera", exact=True).click()
        page.wait_for_url(f"**/avgifter/avi/{invoice.pk}/")
        credits = page.get_by_test_id("credit-notes")
        assert "1 200,50" in credits.inner_text() and "Hedersmedlem" in credits.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375

        # The write-off asks in a dialog first; "Avbryt" leaves the debt as it was.
        page.get_by_label("Orsak").last.fill("Flyttat utomlands")
        page.get_by_role("button", name="Skriv av", exact=True).click()
        dialog = page.locator("dialog.krets-confirm")
        assert "Skriva av skulden?" in dialog.inner_text()
        dialog.get_by_role("button", name="Avbryt").click()
        assert DuesInvoice.objects.get(pk=invoice.pk).written_off_on is None
        page.get_by_role("button", name="Skriv av", exact=True).click()
        with page.expect_navigation():
            dialog.get_by_role("button", name="Skriv av skulden").click()
        assert page.get_by_test_id("status").inner_text() == "Avskriven"
    finally:
        context.close()
    invoice.refresh_from_db()
    assert invoice.amount == Decimal("299.50")
    assert CreditNote.objects.get(invoice=invoice).amount == Decimal("1200.50")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_overpaid_invoices_buttons_pass_axe_contrast(browser, live_server):
    """The every-page walk opens an invoice that is not overpaid; an overpaid one showed its
    two settle buttons yellow on white (btn-outline-warning, contrast 1.6:1)."""
    from pathlib import Path

    from django.conf import settings

    from dues import services

    invoice = invoice_for(MemberFactory(), amount="200.00")
    services.payment_register(
        invoice=invoice, amount=Decimal("300"), paid_on=invoice.due_on, method="swish"
    )
    context, page = _kassor_page(browser, live_server)
    try:
        page.goto(f"/avgifter/avi/{invoice.pk}/")
        assert page.get_by_role("button", name="Behåll som gåva").is_visible()
        # axe-core as an inline script is refused by the portal's CSP: evaluated instead.
        page.evaluate(
            (Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js").read_text()
        )
        violations = page.evaluate(
            """async () => (await axe.run({runOnly: ['color-contrast']})).violations
                .flatMap(v => v.nodes.map(n => n.html))"""
        )
        assert violations == []
    finally:
        context.close()
