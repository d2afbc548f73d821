"""Every GET page of the portal on a phone (375 px) and a desktop (1 280 px) in Debian's chromium.

The walk takes the URL patterns and their path parameters from the role sweep's decisions
(tests/access), opens each page as a role that may open it (the ordförande for most, anonymous
for public pages, otherwise the first role that may), and on both widths asserts that the page is
no wider than the window and that axe-core finds no serious or critical violation; and that the
headings go in order (one h1, no level skipped). One browser,
one context per role, pages in sequence; the two widths share one page load by resizing.
"""

import datetime
import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from members.models import BoardFunction, User

from .access import ANONYMOUS, ASSIGNMENT, MEMBER, all_rules
from .conftest import make_person

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
PHONE, DESKTOP = 375, 1280
F = BoardFunction

# GET pages that are not HTML pages for a person to look at.
NOT_PAGES = {
    "meetings:feed": "iCalendar feed",
    "meetings:private_feed": "iCalendar feed",
    "meetings:ics": "iCalendar file",
    "meetings:signed_ics": "iCalendar file",
    "meetings:participants_csv": "CSV download",
    "members:extract": "JSON download",
    "members:self_data": "JSON download",
    "dues:export": "CSV download",
    "audit_log_export": "CSV download",
    "goals:report_pdf": "PDF download",
    "newsletters:progress": "htmx fragment of the newsletter page",
    "goals:overview_status": "htmx fragment of the overview",
    "visitors:meeting_ics": "iCalendar file",
    "dues:invoice_pdf": "PDF download",
    "meetings:minutes_pdf": "PDF download",
    "meetings:attachment_download": "attachment download",
    "goals:document_attachment_download": "attachment download",
    "healthz": "JSON for load balancers",
}
# Roles in the order the walk prefers them for a page more than one role may open.
PREFERRED = (
    ANONYMOUS,
    F.CHAIR,
    F.TREASURER,
    F.MEMBERSHIP,
    ASSIGNMENT,
    F.COMMUNICATION,
    *F.values,
    MEMBER,
)
# Pages that look different for another role, seen as that role as well.
ALSO_AS = [
    ("overview", F.TREASURER),
    ("overview", F.MEMBERSHIP),
    ("overview", ASSIGNMENT),
    ("overview", MEMBER),
    ("members:list", F.MEMBERSHIP),
    ("members:tasks", F.MEMBERSHIP),
    ("meetings:index", ASSIGNMENT),
    ("meetings:kit", ASSIGNMENT),
]
DEMO_LOGINS = {function: f"{function}@example.org" for function in F.values}
DEMO_LOGINS[ASSIGNMENT] = "kommunalrad@example.org"

# The whole of axe-core runs at phone width. At desktop width only what the width changes is run
# again: the expanded menu's contrast, and boxes that scroll (the rest is the same DOM, and axe
# on a long page takes seconds on this machine).
RUN_AXE = """async (desktop) => {
  const parts = ["nav", "main"].filter(s => document.querySelector(s)).map(s => [s]);
  const context = desktop && parts.length ? {include: parts} : document;
  const options = desktop
    ? {resultTypes: ["violations"], runOnly: ["scrollable-region-focusable", "region"]}
    : {resultTypes: ["violations"]};
  const result = await axe.run(context, options);
  if (desktop && document.querySelector("nav")) {
    const nav = await axe.run(
      {include: [["nav"]]}, {resultTypes: ["violations"], runOnly: ["color-contrast"]});
    result.violations.push(...nav.violations);
  }
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3)
      .map(n => n.target.join(" ")).join(", ")}`);
}"""
# Headings in order (WCAG 1.3.1, 2.4.6): exactly one h1, and no level skipped on the way down
# (h2 then h4 is a skip; h4 then h2 is not). axe's own heading-order rule is only "moderate" and
# does not count the h1s, so the walk checks this itself. What assistive technology does not
# read (hidden, aria-hidden, a closed dialog) does not count.
HEADINGS = """() => {
  const level = h => Number(h.getAttribute("aria-level") || h.tagName.slice(1));
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, [role=heading]")]
    .filter(h => !h.closest("[hidden], [aria-hidden=true], template, dialog:not([open])"));
  const problems = [];
  const ones = headings.filter(h => level(h) === 1).length;
  if (ones !== 1) problems.push(`${ones} h1 headings`);
  let previous = 0;
  for (const h of headings) {
    const now = level(h);
    if (now > previous + 1) {
      const name = h.textContent.trim().replace(/\\s+/g, " ").slice(0, 60);
      problems.push(`h${previous || "(none)"} then h${now} “${name}”`);
    }
    previous = now;
  }
  return problems;
}"""
SETTLE = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


def role_for(rule) -> str | None:
    for role in PREFERRED:
        if rule.expected(role) == 200:
            return role
    return None


def fill(rule) -> dict | None:
    """The rule's path parameters; factory sequences may collide with the demo: try again."""
    if rule.kwargs is None:
        return None
    for _attempt in range(10):
        try:
            with transaction.atomic():
                return rule.kwargs()
        except IntegrityError:
            continue
    raise AssertionError("no free factory object")


def pages_to_walk() -> list[tuple[str, str, str]]:
    """(label, role, url) for every GET page, path parameters filled from factories."""
    rules = all_rules()
    pages = []
    for name, rule in sorted(rules.items()):
        if rule.method != "get" or name in NOT_PAGES:
            continue
        role = role_for(rule)
        if role is None:
            continue  # a redirect for everyone (allauth's sign-up, "latest report"...)
        url = reverse(name, kwargs=fill(rule)) + rule.query
        pages.append((name, role, url))
    for name, role in ALSO_AS:
        rule = rules[name]
        url = reverse(name, kwargs=fill(rule)) + rule.query
        pages.append((name, role, url))
    return pages + extra_pages()


def extra_pages() -> list[tuple[str, str, str]]:
    """Demo objects with real content, a long word, and the error pages."""
    from meetings.models import Matter, Meeting
    from tests.fixtures.campaigns import ContentItemFactory

    long_word = "Kommunfullmäktigesammanträdesprotokollsjusteringsförfarandet" * 3
    item = ContentItemFactory(title=long_word, planned_on=datetime.date.today())
    pages = [
        ("a long word in a title", F.CHAIR, reverse("campaigns:content_detail", args=[item.pk])),
        ("content calendar with a long word", F.CHAIR, reverse("campaigns:content")),
        ("404", F.CHAIR, "/finns-inte/"),
        ("403", F.TREASURER, reverse("audit_log")),
        ("404 anonymous", ANONYMOUS, "/finns-inte/"),
    ]
    for matter in Matter.objects.all()[:2]:
        pages.append(("demo matter", F.CHAIR, reverse("meetings:matter", args=[matter.pk])))
    with_minutes = Meeting.objects.exclude(minutes="").first()
    if with_minutes is not None:
        pages.append(("demo minutes", F.CHAIR, reverse("meetings:minutes", args=[with_minutes.pk])))
    today = datetime.date.today()
    # The rows behind the demo's 2023 goal figures, one page per kind of record.
    for what in ["kampanjer", "marknadsforing", "paneler", "tavlingar", "tavlingsdeltagare"]:
        url = (
            reverse("campaigns:records", kwargs={"what": what}) + "?fran=2023-01-01&till=2023-12-31"
        )
        pages.append((f"records: {what}", F.CHAIR, url))
    pages.append(("2023 goals with links", F.CHAIR, reverse("goals:index") + "?ar=2023"))
    pages.append(("2023 report with links", F.CHAIR, reverse("goals:report", args=[2023])))
    pages.append(("demo month", F.CHAIR, reverse("meetings:month", args=[2023, 3])))
    pages.append(("plan", F.CHAIR, reverse("meetings:plan", args=[today.year])))
    return pages


def login_cookie(role: str, live_server_url: str) -> list[dict]:
    if role == ANONYMOUS:
        return []
    user = User.objects.filter(email=DEMO_LOGINS.get(role, "-")).first()
    if user is None:
        user = make_person(role, two_factor=False)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    return [{"name": cookie.key, "value": cookie.value, "url": live_server_url}]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone_passes_axe_and_keeps_its_headings_in_order(
    browser, live_server, settings
):
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` in the project root")
    call_command("load_demo", verbosity=0)
    settings.KRETS_DEMO_MODE = True
    settings.KRETS_REQUIRE_MFA = False
    pages = pages_to_walk()

    by_role: dict[str, list[tuple[str, str]]] = {}
    for label, role, url in pages:
        by_role.setdefault(role, []).append((label, url))

    problems: list[str] = []
    seen = 0
    for role, role_pages in by_role.items():
        context = browser.new_context(
            base_url=live_server.url,
            locale="sv-SE",
            viewport={"width": DESKTOP, "height": 900},
            # axe-core is injected as an inline script, which the portal's CSP refuses.
            bypass_csp=True,
        )
        context.add_cookies(login_cookie(role, live_server.url))
        from playwright.sync_api import Error as PlaywrightError

        page = context.new_page()
        page.set_default_timeout(20_000)
        started = time.monotonic()
        for label, url in role_pages:
            page.set_viewport_size({"width": DESKTOP, "height": 900})
            try:
                response = page.goto(url)
            except PlaywrightError as error:  # a download: it belongs on NOT_PAGES
                problems.append(f"{role} {url} ({label}): {error.message.splitlines()[0]}")
                continue
            status = response.status if response else 0
            if status >= 500 or (status >= 400 and not label[:3].isdigit()):
                problems.append(f"{role} {url} ({label}): HTTP {status}")
                continue
            if page.locator("html").get_attribute("lang") != "sv":
                problems.append(f"{role} {url} ({label}): not lang=sv")
            for problem in page.evaluate(HEADINGS):
                problems.append(f"{role} {url} ({label}): headings: {problem}")
            page.add_script_tag(path=str(AXE))
            for width in (DESKTOP, PHONE):
                page.set_viewport_size({"width": width, "height": 900 if width == DESKTOP else 740})
                page.evaluate(SETTLE)
                widths = page.evaluate(
                    "() => [document.documentElement.scrollWidth, window.innerWidth]"
                )
                if widths[0] > widths[1]:
                    problems.append(
                        f"{role} {url} ({label}) at {width} px: page is {widths[0]} px wide"
                    )
                for violation in page.evaluate(RUN_AXE, width == DESKTOP):
                    problems.append(f"{role} {url} ({label}) at {width} px: {violation}")
            seen += 1
        context.close()
        print(f"{role}: {len(role_pages)} pages in {time.monotonic() - started:.0f} s")

    assert seen >= 100, f"only {seen} pages walked"
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_walk_covers_every_get_page_of_the_role_sweep():
    """A GET page is walked unless it is on the short list of downloads and fragments."""
    rules = all_rules()
    unwalked = {
        name
        for name, rule in rules.items()
        if rule.method == "get" and name not in NOT_PAGES and role_for(rule) is None
    }
    # allauth's pages that redirect everyone here, and the latest report, which redirects.
    assert unwalked <= {
        "account_email",  # email management is off: 404 for everyone
        "account_email_verification_sent",
        "account_confirm_email",
        "account_signup",
        "account_set_password",
        "account_confirm_login_code",
        "mfa_authenticate",
        "mfa_activate_totp",
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_add_webauthn",
        "mfa_reauthenticate_webauthn",
        "mfa_remove_webauthn",
        "mfa_edit_webauthn",
        "goals:report_latest",
        "meetings:adjust_signed_in",  # a justerare's own page: the sweep's roles are none
    }, json.dumps(sorted(unwalked))


def test_every_download_url_is_on_the_list_of_non_pages():
    """A route that names a file (.ics, .csv, .json, pdf/) is a download the walk cannot open."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def routes(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from routes(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}{pattern.name}", str(pattern.pattern)

    downloads = {
        name
        for name, route in routes(get_resolver())
        if route.endswith((".ics", ".csv", ".json", "pdf/")) and not name.startswith("admin:")
    }
    assert downloads - NOT_PAGES.keys() == set()
