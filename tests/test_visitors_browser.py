"""Open doors in a real browser: a visitor finds an open meeting, signs up, confirms by the
mailed link and shows up for the organiser; later joins through "Bli medlem", confirms, is
approved and gets the welcome mail and the invoice with a Swish link. A member leaves from
"Mina uppgifter" and the next newsletter does not reach them."""

import datetime
import os
import re
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dues.models import Fee
from members.models import BoardFunction
from members.tokens import SELF_SERVICE, member_token
from newsletters import services as newsletter_services
from newsletters.models import Newsletter
from tests.conftest import make_person
from tests.factories import PASSWORD, MemberFactory
from tests.fixtures.browser import sign_in
from tests.fixtures.meetings import MeetingFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def portal(settings, live_server, smtp_server, request):
    if os.environ.get("REDIS_URL"):  # tasks go through Redis: a real worker sends them
        request.getfixturevalue("celery_worker_process")
    settings.KRETS_REQUIRE_MFA = False
    settings.KRETS_PUBLIC_FORM_MIN_SECONDS = 1
    return smtp_server


def _mail_to(smtp, address: str, subject_start: str, timeout: float = 30.0):
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=timeout)
    while datetime.datetime.now() < deadline:
        for message in smtp.messages_to(address):
            if str(message["Subject"]).strip().startswith(subject_start):
                return message
        time.sleep(0.2)
    subjects = [str(m["Subject"]) for m in smtp.messages]
    raise AssertionError(f"no mail {subject_start!r} to {address}: {subjects}")


def _link(message, path: str) -> str:
    text = message.get_body(("plain",)).get_content()
    # The path only: a Celery worker process renders links with its own SITE_URL.
    return re.search(rf"https?://[^/\s]+({path}\S+/)", text).group(1)


def test_visitor_signs_up_confirms_is_seen_by_organiser_then_joins_and_gets_invoice(
    page, browser, live_server, portal
):
    smtp = portal
    Fee.objects.create(
        year=timezone.localdate().year,
        name="Ordinarie",
        amount=200,
        due_on=timezone.localdate() + datetime.timedelta(days=30),
        is_default=True,
    )
    meeting = MeetingFactory(title="Öppet möte om skolan", address="Folkets hus, Storvik")

    # The visitor finds the meeting and signs up.
    page.goto("/oppet/")
    page.get_by_role("link", name="Öppet möte om skolan").click()
    expect(page.get_by_role("link", name="Karta")).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query=")
    )
    page.get_by_role("textbox", name=re.compile(r"^Namn")).fill("Vera Visit")
    page.get_by_role("textbox", name=re.compile(r"^E-post")).fill("vera@example.org")
    page.get_by_label(re.compile("Jag samtycker")).check()
    page.wait_for_timeout(1100)  # a person takes longer than the minimum fill time
    page.get_by_role("button", name="Anmäl mig").click()
    expect(page.get_by_test_id("check-mail")).to_be_visible()

    confirm = _mail_to(smtp, "vera@example.org", "Bekräfta din anmälan")
    page.goto(_link(confirm, "/oppet/anmalan/"))
    page.get_by_role("button", name="Bekräfta min anmälan").click()
    expect(page.get_by_test_id("confirmed")).to_be_visible()

    # The organiser sees her beside the members' replies.
    secretary = make_person(BoardFunction.SECRETARY, two_factor=False)
    board = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(board, secretary.email, PASSWORD)
    board.goto(f"/moten/{meeting.pk}/")
    expect(board.get_by_test_id("signups")).to_contain_text("Vera Visit")
    board.context.close()

    # Later she joins.
    page.goto("/oppet/bli-medlem/")
    page.get_by_role("textbox", name=re.compile(r"^Förnamn")).fill("Vera")
    page.get_by_role("textbox", name=re.compile(r"^Efternamn")).fill("Visit")
    page.get_by_label("Födelsedatum").fill("1990-05-01")
    page.get_by_role("textbox", name=re.compile(r"^Adress")).fill("Storgatan 1")
    page.get_by_role("textbox", name=re.compile(r"^Postnummer")).fill("811 30")
    page.get_by_role("textbox", name=re.compile(r"^Ort")).fill("Sandviken")
    page.get_by_role("textbox", name=re.compile(r"^E-post")).fill("vera@example.org")
    page.get_by_label(re.compile("Jag samtycker")).check()
    page.get_by_label(re.compile("Jag delar Centerpartiets")).check()
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Skicka ansökan").click()
    expect(page.get_by_test_id("check-mail")).to_be_visible()
    verify = _mail_to(smtp, "vera@example.org", "Bekräfta din e-postadress")
    page.goto(_link(verify, "/oppet/bli-medlem/"))
    page.get_by_role("button", name="Bekräfta min e-postadress").click()
    expect(page.get_by_test_id("verified")).to_be_visible()

    # The medlemsansvarig approves.
    officer = make_person(BoardFunction.MEMBERSHIP, two_factor=False)
    desk = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(desk, officer.email, PASSWORD)
    desk.goto("/oppet/ansokningar/")
    expect(desk.get_by_test_id("application")).to_contain_text("Vera Visit")
    desk.get_by_role("button", name="Godkänn").click()
    expect(desk.get_by_text(re.compile(r"Vera Visit är medlem nr \d+"))).to_be_visible()
    desk.context.close()

    welcome = _mail_to(smtp, "vera@example.org", "Välkommen till Centerpartiet i Sandviken")
    assert "Hej Vera!" in welcome.get_body(("plain",)).get_content()
    invoice = _mail_to(smtp, "vera@example.org", "Medlemsavgift")
    text = invoice.get_body(("plain",)).get_content()
    assert "swish://payment?data=" in text and "200,00 kr" in text
    # The Swish QR code travels as a PNG attachment (images inline in HTML are often blocked).
    [qr] = [part for part in invoice.iter_attachments() if part.get_content_type() == "image/png"]
    assert qr.get_content()[:4] == b"\x89PNG"


def test_member_leaves_from_mina_uppgifter_and_gets_no_more_newsletters(page, portal):
    smtp = portal
    leaving = MemberFactory(first_name="Lena", newsletter_consent=True)
    staying = MemberFactory(newsletter_consent=True)

    page.goto(f"/medlemmar/mina-uppgifter/{member_token(leaving.pk, SELF_SERVICE)}/")
    page.get_by_label(re.compile("Vill du berätta varför")).fill("Flyttar från kommunen")
    page.get_by_role("button", name="Jag vill gå ur").click()
    expect(page.get_by_test_id("left")).to_be_visible()

    newsletter = Newsletter.objects.create(subject="Decembernytt", body="Text")
    newsletter_services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    smtp.wait_for(1)
    assert smtp.recipients == [staying.email]


def test_officer_declines_with_a_reason_in_the_dialog_and_a_contact_unsubscribes(
    page, browser, live_server, portal
):
    from visitors import services as visitor_services
    from visitors.models import Application, Contact

    smtp = portal
    application = Application.objects.create(
        first_name="Sam",
        last_name="Sökande",
        email="sam@example.org",
        consent_text="Ja",
        terms_text="Ja",
        state=Application.State.PENDING,
        verified_at=timezone.now(),
    )
    now = timezone.now()
    contact = Contact.objects.create(
        name="Kim Kontakt",
        email="kim@example.org",
        consent_text="Ja",
        consent_at=now,
        invite_consent=True,
        source="mote",
        last_activity_at=now,
    )
    officer = make_person(BoardFunction.MEMBERSHIP, two_factor=False)
    desk = browser.new_context(base_url=live_server.url, locale="sv-SE").new_page()
    sign_in(desk, officer.email, PASSWORD)
    desk.goto("/oppet/ansokningar/")
    desk.get_by_text("Avslå…").click()
    desk.get_by_role("textbox", name=re.compile("^Skäl")).fill("Du bor i en annan krets.")
    desk.get_by_role("button", name="Avslå ansökan").click()
    # portal.js asks first, in a dialog; "Avbryt" is focused, so the officer must choose.
    dialog = desk.get_by_role("dialog")
    expect(dialog).to_contain_text("Avslå ansökan?")
    dialog.get_by_role("button", name="Avslå ansökan").click()
    expect(desk.get_by_text("Ansökan är avslagen.")).to_be_visible()
    declined = _mail_to(smtp, "sam@example.org", "Om din medlemsansökan")
    assert "Du bor i en annan krets." in declined.get_body(("plain",)).get_content()
    assert Application.objects.get(pk=application.pk).state == Application.State.DECLINED
    desk.context.close()

    visitor_services.contacts_invite(actor=None, meeting=MeetingFactory(title="Öppet möte"))
    invitation = _mail_to(smtp, "kim@example.org", "Välkommen till ett öppet möte")
    page.goto(_link(invitation, "/oppet/avregistrera/"))
    page.get_by_role("button", name="Inga fler inbjudningar").click()
    expect(page.get_by_test_id("unsubscribed")).to_be_visible()
    assert not Contact.objects.get(pk=contact.pk).invite_consent
