"""In a real browser (Debian's chromium), the pages that run scripts raise no Content-Security-
Policy violation, and the behaviours moved out of inline handlers still work (issue 13, item 8)."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from members.models import BoardFunction
from newsletters.models import Newsletter
from tests.conftest import make_person
from tests.factories import PASSWORD
from tests.fixtures.browser import sign_in
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

    sign_in(page, user.email, PASSWORD)
    urls = [
        reverse("overview"),
        reverse("members:list"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:kit"),
        reverse("newsletters:detail", args=[newsletter.pk]),
        reverse("goals:index") + "?ar=2024",
        reverse("goals:report", args=[2024]),
        reverse("mfa_index"),
    ]
    violations = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__violations")
        if found:
            violations[url] = found
    assert violations == {}
    assert [line for line in console if "Content Security Policy" in line] == []

    # The year picker submits itself (data-autosubmit) ...
    page.goto(reverse("goals:index") + "?ar=2024")
    page.get_by_label("År").select_option("2023")
    expect(page).to_have_url(re.compile(r"ar=2023$"))
    # ... and the report's print button prints (data-print).
    page.goto(reverse("goals:report", args=[2024]))
    page.get_by_role("button", name="Skriv ut").click()
    assert page.evaluate("window.__printed") is True
    assert page.evaluate("window.__violations") == []
