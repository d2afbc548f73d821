"""Drives the production stack that .ci/smoke_production.sh started, as a person would, through a
TLS proxy's eyes (X-Forwarded-Proto: https; the production settings are not relaxed):

1. the sign-in page answers 200 in Swedish, its static files have manifest-hashed names and
   each of them answers 200 (WhiteNoise over collectstatic's output);
2. the kommunikationsansvarig signs in with password and a TOTP code computed here, and reaches
   the overview;
3. she writes a newsletter and schedules it for the coming minute in the form; beat starts it
   and the worker delivers it to the SMTP server on loopback, once to each member who wants it.

Every step fails with what it saw. Run by the shell script, with its environment.
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import http.client
import re
import struct
import subprocess
import sys
import time
import urllib.parse
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
PASSWORD = "ett-langt-losenord-smoke"
RECIPIENTS = ["smoke-1@example.org", "smoke-2@example.org"]

# The people, through the test factories (they follow the models), printed: the TOTP secret.
SETUP = f"""
from tests.factories import BoardAssignmentFactory, MemberFactory, UserFactory, add_totp
user = UserFactory(email="kommunikation@example.org", password={PASSWORD!r})
member = MemberFactory(user=user, email=user.email, newsletter_consent=False)
BoardAssignmentFactory(member=member, function="kommunikationsansvarig")
for address in {RECIPIENTS!r}:
    MemberFactory(email=address, newsletter_consent=True)
print(add_totp(user).data["secret"])
"""


def fail(message: str) -> None:
    print(f"production smoke FAILED: {message}", file=sys.stderr)
    sys.exit(1)


class Browser:
    """Enough of a browser: a cookie jar (Secure cookies included: the proxy speaks TLS), the
    proxy's headers, the Origin and Referer Django's CSRF check wants."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "Accept-Language": "sv",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": self.origin,
                    "Referer": self.origin + path,
                }
            )
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), content

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
        return self.request("POST", path, form)


def totp(secret: str, *, at: float | None = None) -> str:
    """The current code of an authenticator app (RFC 6238: HMAC-SHA1, 30 s, 6 digits)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int(time.time() if at is None else at) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def wait_until_served(browser: Browser) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            status, _, _ = browser.get("/konton/login/")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    fail("gunicorn did not serve the sign-in page within 90 s")


def check_sign_in_page(browser: Browser) -> None:
    status, headers, content = browser.get("/konton/login/")
    page = content.decode()
    if status != 200 or 'lang="sv"' not in page or "Logga in" not in page:
        fail(f"the sign-in page answered {status} without Swedish text")
    static = sorted(set(re.findall(r'(?:href|src)="(/static/[^"]+)"', page)))
    hashed = [url for url in static if re.search(r"\.[0-9a-f]{12}\.(?:css|js)$", url)]
    if not hashed or len(hashed) != len(static):
        fail(f"static URLs without manifest hashes: {static}")
    for url in static:
        status, headers, _ = browser.get(url)
        if status != 200:
            fail(f"{url} answered {status}")
        if "max-age=315360000" not in headers.get("Cache-Control", ""):
            fail(f"{url} is not served as an immutable file: {headers.get('Cache-Control')}")
    print(f"  sign-in page in Swedish; {len(static)} hashed static files answer 200")


def sign_in_with_two_factor(browser: Browser, secret: str) -> None:
    browser.get("/konton/login/")
    status, headers, _ = browser.post(
        "/konton/login/", {"login": "kommunikation@example.org", "password": PASSWORD}
    )
    if status != 302 or not headers.get("Location", "").endswith("/konton/2fa/authenticate/"):
        fail(f"password step answered {status} {headers.get('Location')}, not the code step")
    browser.get("/konton/2fa/authenticate/")
    code = totp(secret)
    status, headers, _ = browser.post("/konton/2fa/authenticate/", {"code": code})
    if status != 302:
        fail(f"the TOTP code was not accepted ({status})")
    status, _, content = browser.get("/")
    if status != 200 or "Översikt" not in content.decode():
        fail(f"the overview answered {status}")
    print("  the kommunikationsansvarig signed in with a TOTP code and sees the overview")


def schedule_newsletter(browser: Browser) -> datetime.datetime:
    browser.get("/nyhetsbrev/nytt/")
    status, headers, content = browser.post(
        "/nyhetsbrev/nytt/",
        {
            "subject": "Röksignal från produktionen",
            "body": "Hej!\n\nDetta är ett prov.",
            "audience": "alla",
        },
    )
    if status != 302:
        errors = re.findall(r"invalid-feedback[^>]*>\s*<strong>([^<]+)", content.decode())
        fail(f"saving the newsletter answered {status}: {errors}")
    detail = headers["Location"]
    # The form takes minutes: the coming minute, at least 15 s ahead.
    now = datetime.datetime.now(STOCKHOLM)
    send_at = (now + datetime.timedelta(seconds=75)).replace(second=0, microsecond=0)
    browser.get(detail)
    status, headers, _ = browser.post(
        # confirm=1: what the confirmation dialog adds when she answers yes (krets/confirm.py).
        detail + "skicka/",
        {"send_at": send_at.strftime("%Y-%m-%dT%H:%M"), "confirm": "1"},
    )
    _, _, content = browser.get(detail)
    if "Schemalagd" not in content.decode():
        fail("the newsletter is not shown as scheduled")
    print(f"  newsletter scheduled for {send_at:%H:%M} (now {now:%H:%M:%S})")
    return send_at


def wait_for_mail(mail_log: Path, send_at: datetime.datetime) -> None:
    # Beat starts due newsletters every minute: allow that minute after the send time, and more.
    deadline = send_at.timestamp() + 150
    while time.time() < deadline:
        got = mail_log.read_text().split("\n") if mail_log.exists() else []
        recipients = sorted(line.split("\t")[0] for line in got if line)
        if set(recipients) >= set(RECIPIENTS):
            if time.time() < send_at.timestamp():
                fail("the newsletter went out before its time")
            time.sleep(3)
            got = [line.split("\t")[0] for line in mail_log.read_text().split("\n") if line]
            if sorted(got) != sorted(RECIPIENTS):
                fail(f"the SMTP server got {sorted(got)}, expected each of {RECIPIENTS} once")
            waited = time.time() - send_at.timestamp()
            print(f"  delivered to the SMTP server {waited:.0f} s after its time, once each")
            return
        time.sleep(1)
    fail(f"the newsletter did not arrive; the SMTP server got {mail_log.read_text()!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mail-log", type=Path, required=True)
    args = parser.parse_args()

    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SETUP],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if setup.returncode != 0:
        fail(f"creating the people failed:\n{setup.stderr[-3000:]}")
    secret = setup.stdout.strip().splitlines()[-1]

    browser = Browser(args.port)
    wait_until_served(browser)
    check_sign_in_page(browser)
    sign_in_with_two_factor(browser, secret)
    send_at = schedule_newsletter(browser)
    wait_for_mail(args.mail_log, send_at)


if __name__ == "__main__":
    main()
