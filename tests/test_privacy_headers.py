"""Headers (issue 13, item 8): a Content-Security-Policy without inline scripts, no-store on
personal data, Permissions-Policy, Referrer-Policy; and no inline script left in any template."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from meetings.models import CalendarFeed
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[1]


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = (part.strip().split() for part in policy.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def test_csp_allows_no_inline_script_and_no_remote_images(client_as):
    response = client_as("ordforande").get(reverse("overview"))
    csp = directives(response)
    assert csp["script-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-eval'" not in str(csp)
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("medlemsansvarig", lambda: reverse("members:list") + "?per=200"),
        ("medlemsansvarig", lambda: reverse("members:detail", args=[MemberFactory().pk])),
        ("kassor", lambda: reverse("dues:index")),
        ("kassor", lambda: reverse("dues:export") + "?ar=2023&status=alla&format=excel"),
        ("ordforande", lambda: reverse("audit_log")),
        ("medlem", lambda: reverse("overview")),
    ],
)
def test_personal_data_is_never_stored_by_a_browser_or_proxy(client_as, role, url):
    response = client_as(role).get(url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    assert "Content-Security-Policy" in response


def test_private_calendar_feed_is_not_stored_and_the_public_one_is_cacheable(client, person):
    feed = CalendarFeed.objects.create(user=person("sekreterare"))
    private = client.get(reverse("meetings:private_feed", kwargs={"token": feed.token}))
    assert private["Cache-Control"] == "no-store, private"
    public = client.get(reverse("meetings:feed"))
    assert "public" in public["Cache-Control"]


def test_newsletter_preview_may_be_framed_by_the_portal_only(client_as, newsletter):
    response = client_as("kommunikationsansvarig").get(
        reverse("newsletters:preview", args=[newsletter.pk])
    )
    assert directives(response)["frame-ancestors"] == ["'self'"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*['\"]", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "email" in path.parts:
            continue
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    for path in (ROOT / "templates").glob("**/*.html"):
        text = path.read_text()
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
