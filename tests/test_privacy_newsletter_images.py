"""Newsletters embed only images stored in the portal: no tracking pixel (issue 13, item 8)."""

import pytest
from django.urls import reverse

from krets.html import remote_images
from members.models import BoardFunction
from newsletters.models import Newsletter

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "body",
    [
        "Hej!\n\n![](https://tracker.example.com/p.gif?m=42)",
        'Hej! <img src="http://tracker.example.com/p.gif" width="1" height="1">',
        'Hej! <img src="//tracker.example.com/p.gif">',
    ],
)
def test_remote_image_is_refused_with_a_message(client_as, body):
    client = client_as(BoardFunction.COMMUNICATION)
    response = client.post(
        reverse("newsletters:create"), {"subject": "Oktober", "body": body, "audience": "alla"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nyhetsbrev får bara visa bilder som finns i portalen" in page
    assert "tracker.example.com/p.gif" in page
    assert not Newsletter.objects.exists()


def test_images_stored_in_the_portal_are_welcome(client_as, settings):
    settings.SITE_URL = "https://portal.example.org"
    client = client_as(BoardFunction.COMMUNICATION)
    body = "![Logga](/media/logga.png)\n\n![Möte](https://portal.example.org/media/mote.jpg)"
    response = client.post(
        reverse("newsletters:create"), {"subject": "Oktober", "body": body, "audience": "alla"}
    )
    assert response.status_code == 302
    assert Newsletter.objects.get().body == body


def test_remote_images_reads_src_and_srcset(settings):
    settings.SITE_URL = "https://portal.example.org"
    html = (
        '<p><img src="https://portal.example.org/a.png">'
        '<img srcset="https://cdn.example.com/b.png 1x, /c.png 2x" src="/c.png">'
        '<img src="data:image/png;base64,iVBORw0KGgo=">'
        '<IMG SRC="HTTPS://EVIL.EXAMPLE/x.gif"></p>'
    )
    assert remote_images(html) == ["https://cdn.example.com/b.png", "HTTPS://EVIL.EXAMPLE/x.gif"]
