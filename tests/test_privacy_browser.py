"""In a real browser (Debian's chromium), the pages that run scripts raise no Content-Security-
Policy violation, and the behaviours moved out of inline handlers still work (issue 13, item 8)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import BoardFunction
from newsletters.models import Newsletter
from newsletters.services import newsletter_start
from tests.conftest import make_person
from tests.factories import PASSWORD, MemberFactory
from tests.fixtures.browser import sign_in
from tests.fixtures.dues import invoice_for
from tests.fixtures.goals import GoalFactory
from tests.fixtures.meetings import MeetingFactory

# Runs before any page script and is not subject to the page's CSP: records every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
window.print = () => { window.__printed = true; };
"""


def visit(page, urls) -> dict[str, list[str]]:
    violations = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__violations")
        if found:
            violations[url] = found
    return violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pages_with_scripts_raise_no_csp_violation(page, settings):
    settings.KRETS_REQUIRE_MFA = False  # signing in with two-factor is tested elsewhere
    user = make_person(BoardFunction.CHAIR, two_factor=False)
    GoalFactory(year=2023, number=1)
    GoalFactory(year=2024, number=1)
    meeting = MeetingFactory()
    newsletter = Newsletter.objects.create(
        subject="Nyheter", body="Hej **alla**!\n\n![Logga](/static/krets/logo.png)"
    )
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.add_init_script(RECORD_VIOLATIONS)

    # A letter that is being sent: its progress bar polls (htmx) and its width is data.
    sending = Newsletter.objects.create(subject="Utskick", body="Hej!")
    newsletter_start(actor=user, newsletter_id=sending.pk)
    sending.refresh_from_db()

    # The public form with the honeypot field, before signing in.
    page.goto(reverse("visitors:join"))
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__violations") == []
    assert page.locator(".krets-honeypot").bounding_box()["x"] < -1000  # off screen, by a class

    sign_in(page, user.email, PASSWORD)
    urls = [
        reverse("overview"),
        reverse("members:list"),
        reverse("members:statistics"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:month", args=[meeting.starts_at.year, meeting.starts_at.month]),
        reverse("meetings:kit"),
        reverse("newsletters:detail", args=[newsletter.pk]),
        reverse("newsletters:detail", args=[sending.pk]),
        reverse("goals:index") + "?ar=2024",
        reverse("goals:report", args=[2024]),
        reverse("campaigns:index"),
        reverse("mfa_index"),
        reverse("audit_log"),
    ]
    violations = visit(page, urls)

    # The overview as kassör, whose panels differ from the ordförande's.
    page.context.clear_cookies()
    kassor = make_person(BoardFunction.TREASURER, two_factor=False)
    sign_in(page, kassor.email, PASSWORD)
    invoice = invoice_for(MemberFactory())  # its page carries the Swish QR code as inline SVG
    violations.update(
        visit(
            page,
            [
                reverse("overview"),
                reverse("dues:index"),
                reverse("dues:invoice", args=[invoice.pk]),
            ],
        )
    )
    assert violations == {}
    assert [line for line in console if "Content Security Policy" in line] == []

    # Widths that are data reach the bars through portal.js, not through a style attribute.
    page.context.clear_cookies()
    sign_in(page, user.email, PASSWORD)
    page.goto(reverse("newsletters:detail", args=[sending.pk]))
    bar = page.locator("#progress .progress-bar")
    expect(bar).to_have_attribute("data-width", re.compile(r"^\d+$"))
    percent = int(bar.get_attribute("data-width"))
    assert (
        page.evaluate("document.querySelector('#progress .progress-bar').style.width")
        == f"{percent}%"
    )
    page.wait_for_timeout(1500)  # one htmx poll: the swapped bar gets its width again
    assert page.evaluate("window.__violations") == []
    assert (
        page.evaluate("document.querySelector('#progress .progress-bar').style.width")
        == f"{percent}%"
    )

    # The year picker submits itself (data-autosubmit) ...
    page.goto(reverse("goals:index") + "?ar=2024")
    page.get_by_role("combobox", name="År").select_option("2023")
    expect(page).to_have_url(re.compile(r"ar=2023$"))
    # ... and the report's print button prints (data-print).
    page.goto(reverse("goals:report", args=[2024]))
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("window.__violations") == []
