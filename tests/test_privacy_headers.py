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
    # No inline style at all, attributes included (issue 13, item 8: the last exception went).
    assert "style-src-attr" not in csp and "style-src-elem" not in csp
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
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


def test_newsletter_preview_keeps_its_inline_styles_in_a_sandbox_without_script(
    client_as, newsletter
):
    """The mail's inline styles are what the preview is for; its own policy allows them and
    nothing else, and sandboxes the document even when opened outside the frame."""
    response = client_as("kommunikationsansvarig").get(
        reverse("newsletters:preview", args=[newsletter.pk])
    )
    csp = directives(response)
    assert 'style="' in response.content.decode()
    assert csp["style-src"] == ["'unsafe-inline'"]
    assert csp["default-src"] == ["'none'"]
    assert "script-src" not in csp  # default-src 'none' covers scripts
    assert csp["sandbox"] == []
    assert csp["form-action"] == ["'none'"]
    # The page that frames it keeps the strict policy.
    detail = client_as("kommunikationsansvarig").get(
        reverse("newsletters:detail", args=[newsletter.pk])
    )
    assert "'unsafe-inline'" not in detail["Content-Security-Policy"]
    assert 'sandbox src="' in detail.content.decode() or " sandbox" in detail.content.decode()


STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
# Mails are not served under the CSP (mail clients need inline styles); the newsletter preview
# has its own policy (newsletters.views.PREVIEW_POLICY).
MAIL_TEMPLATES = ("email",)


def site_templates():
    for path in [*ROOT.glob("*/templates/**/*.html"), *(ROOT / "templates").glob("**/*.html")]:
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        if any(part in MAIL_TEMPLATES for part in path.parts):
            continue
        yield path


def test_no_page_template_or_script_writes_a_style_attribute():
    offenders = [
        str(path.relative_to(ROOT))
        for path in site_templates()
        if STYLE_ATTRIBUTE.search(path.read_text())
    ]
    script = (ROOT / "static/krets/portal.js").read_text()
    if re.search(r"style\s*=|setAttribute\(\s*['\"]style", script.replace(".style.", "")):
        offenders.append("static/krets/portal.js")
    assert offenders == []


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
