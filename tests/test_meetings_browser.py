"""The sekreterare creates a kretsmöte in Storvik in a real browser; the public feed holds it."""

import pytest
from icalendar import Calendar

from .fixtures.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_secretary_creates_a_chapter_meeting_in_storvik_and_the_public_feed_holds_it(
    page, settings, demo
):
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False

    sign_in(page, "sekreterare@example.org", "kretsdemo")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Möten").click()
    page.get_by_role("link", name="Nytt möte").click()
    page.get_by_label("Typ").select_option(label="Kretsmöte")
    page.get_by_label("Rubrik").fill("Kretsmöte om kollektivtrafiken")
    page.get_by_label("Börjar").fill("2030-05-08T18:30")
    page.get_by_label("Slutar").fill("2030-05-08T20:30")
    page.get_by_label("Kommundel").select_option(label="Storvik")
    page.get_by_label("Adress").fill("Bygdegården")
    page.get_by_label("Status").select_option(label="Beslutad")
    page.get_by_role("button", name="Spara").click()

    page.get_by_role("heading", name="Kretsmöte om kollektivtrafiken").wait_for()
    assert page.get_by_test_id("location").inner_text() == "Bygdegården, Storvik"

    feed = page.request.get("/moten/kalender.ics")
    assert feed.ok
    events = {str(e["SUMMARY"]): e for e in Calendar.from_ical(feed.body()).walk("VEVENT")}
    event = events["Kretsmöte om kollektivtrafiken"]
    assert str(event["LOCATION"]) == "Bygdegården, Storvik"
    assert event["DTSTART"].dt.strftime("%Y-%m-%d %H:%M %Z") == "2030-05-08 18:30 CEST"
