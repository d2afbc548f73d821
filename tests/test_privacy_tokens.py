"""Issue 13 item 1: a forwarded newsletter's links open no personal data; one purpose per token."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from members.tokens import (
    MEETING_REPLY,
    NEWSLETTER_ARCHIVE,
    SELF_SERVICE,
    UNSUBSCRIBE,
    member_from_token,
    member_token,
)
from newsletters import services
from newsletters.models import Newsletter
from tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_in_process")]


def test_a_forwarded_newsletters_links_open_no_personal_data(
    smtp_server, newsletter, django_capture_on_commit_callbacks
):
    MemberFactory(
        newsletter_consent=True,
        first_name="Gunvor",
        last_name="Hemligsson",
        email="gunvor.hemligsson@example.org",
        phone="+46701234567",
        address="Lönngatan 7",
        birth_date=datetime.date(1961, 4, 3),
        notes="Vill inte synas",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.newsletter_start(actor=None, newsletter_id=newsletter.pk)
    (message,) = smtp_server.wait_for(1)
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    links = set(re.findall(r'href="([^"]+)"', html)) | set(re.findall(r"https?://\S+", text))
    links |= {link.strip(" <>") for link in message["List-Unsubscribe"].split(",")}
    portal_links = {link for link in links if link.startswith(settings.SITE_URL)}
    assert portal_links  # the archive and the unsubscribe link at least

    stranger = Client()  # whoever the newsletter was forwarded to
    secrets = [
        "Hemligsson",
        "gunvor.hemligsson",
        "701234567",
        "Lönngatan",
        "1961",
        "Vill inte synas",
        "Gunvor",
    ]
    for link in portal_links:
        path = link.removeprefix(settings.SITE_URL)
        response = stranger.get(path, follow=True)
        page = response.content.decode()
        for secret in secrets:
            assert secret not in page, (path, secret)
        # no page reached from the mail lets the stranger change or download anything personal
        assert "mina-uppgifter" not in page.lower()
        for token in re.findall(r"/([A-Za-z0-9_\-:]{20,})/", path):
            assert member_from_token(token, SELF_SERVICE) is None


def test_the_archive_link_opens_only_the_archive(client):
    member = MemberFactory()
    archive_token = member_token(member.pk, NEWSLETTER_ARCHIVE)
    assert client.get(reverse("members:self_service", args=[archive_token])).status_code == 404
    assert client.get(reverse("members:self_data", args=[archive_token])).status_code == 404
    Newsletter.objects.create(subject="Vårbrev", body="x", state="skickad")
    assert client.get(reverse("newsletters:archive", args=[archive_token])).status_code == 200


@pytest.mark.parametrize("purpose", [NEWSLETTER_ARCHIVE, UNSUBSCRIBE, MEETING_REPLY])
def test_no_other_token_opens_mina_uppgifter(client, purpose):
    token = member_token(MemberFactory().pk, purpose)
    assert client.get(reverse("members:self_service", args=[token])).status_code == 404


def test_a_mina_uppgifter_link_expires(client, settings):
    token = member_token(MemberFactory().pk, SELF_SERVICE)
    assert client.get(reverse("members:self_service", args=[token])).status_code == 200
    settings.KRETS_SELF_SERVICE_DAYS = -1
    assert client.get(reverse("members:self_service", args=[token])).status_code == 404


def test_the_unsubscribe_page_says_nothing_about_the_person(client):
    member = MemberFactory(first_name="Gunvor", newsletter_consent=True)
    url = reverse("newsletters:unsubscribe", args=[member_token(member.pk, UNSUBSCRIBE)])
    for page in (client.get(url), client.post(url)):
        text = page.content.decode()
        assert "Gunvor" not in text and "medlem" not in text


def test_changing_the_email_on_mina_uppgifter_confirms_by_the_new_address(
    client, smtp_server, django_capture_on_commit_callbacks
):
    member = MemberFactory(email="gammal@example.org", phone="", newsletter_consent=False)
    url = reverse("members:self_service", args=[member_token(member.pk, SELF_SERVICE)])
    form = {"email": "ny@example.org", "phone": "", "address": "", "postcode": "", "town": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form, follow=True)
    assert "Vi har skickat en länk till den nya e-postadressen" in response.content.decode()
    member.refresh_from_db()
    assert member.email == "gammal@example.org"  # not yet
    messages = {m["To"]: m for m in smtp_server.wait_for(2)}
    assert set(messages) == {"gammal@example.org", "ny@example.org"}
    notice = messages["gammal@example.org"].get_body(("plain",)).get_content()
    assert "ny@example.org" not in notice and "http" not in notice
    confirm_text = messages["ny@example.org"].get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+", confirm_text).group(0).removeprefix(settings.SITE_URL)
    assert "gammal@example.org" not in client.get(link).content.decode()
    member.refresh_from_db()
    assert member.email == "gammal@example.org"  # a GET (a mail scanner) changes nothing
    client.post(link)
    member.refresh_from_db()
    assert member.email == "ny@example.org"
    # a link made for another address, or another purpose, does nothing
    other = member_token(member.pk, SELF_SERVICE)
    assert client.post(reverse("members:email_confirm", args=[other])).status_code == 404


def test_downloading_ones_data_takes_a_fresh_link_to_the_address_on_file(
    client, smtp_server, django_capture_on_commit_callbacks
):
    member = MemberFactory(email="agare@example.org")
    self_token = member_token(member.pk, SELF_SERVICE)
    # The self-service link alone (perhaps forwarded) downloads nothing.
    assert client.get(reverse("members:self_data", args=[self_token])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:self_data_request", args=[self_token]), follow=True)
    assert "Vi har skickat en länk till din e-postadress" in response.content.decode()
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "agare@example.org"
    text = message.get_body(("plain",)).get_content()
    link = re.search(r"https?://\S+", text).group(0).removeprefix(settings.SITE_URL)
    data = client.get(link).json()
    assert data["email"] == "agare@example.org"
