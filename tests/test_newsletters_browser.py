"""The kommunikationsansvarig writes, previews and sends a newsletter, and watches it go out."""

import os
import re

import pytest
from playwright.sync_api import expect

from members.models import BoardFunction
from tests.conftest import make_person
from tests.factories import PASSWORD, MemberFactory
from tests.fixtures.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_communication_officer_writes_previews_sends_and_watches_progress(
    page, smtp_server, settings, request
):
    if os.environ.get("REDIS_URL"):  # tasks go through Redis: a real worker sends them
        request.getfixturevalue("celery_worker_process")
    settings.KRETS_REQUIRE_MFA = False
    officer = make_person(BoardFunction.COMMUNICATION, two_factor=False)
    members = MemberFactory.create_batch(25, newsletter_consent=True)

    sign_in(page, officer.email, PASSWORD)
    page.get_by_role("link", name="Nyhetsbrev").first.click()
    page.get_by_role("link", name="Skriv ett nyhetsbrev").click()
    page.get_by_label("Ämne").fill("Höstens nyheter")
    page.get_by_label("Text").fill("Välkommen till **höstmötet** i Storvik!")
    page.get_by_role("button", name="Spara").click()

    preview = page.frame_locator("iframe[title='Förhandsvisning']")
    expect(preview.locator("strong")).to_have_text("höstmötet")
    expect(page.get_by_text("25 medlemmar just nu")).to_be_visible()

    page.get_by_role("button", name="Skicka nyhetsbrevet").click()
    page.get_by_role("dialog").get_by_role("button", name="Skicka till alla").click()
    bar = page.get_by_role("progressbar", name="Utskickets förlopp")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(page.get_by_test_id("progress-counts")).to_contain_text(
        re.compile(r"Skickade: 25\b.*kvar: 0\s+Klart\.", re.S)
    )
    assert sorted(smtp_server.recipients) == sorted(m.email for m in members)
