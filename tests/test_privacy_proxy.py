"""Client addresses behind the TLS proxy (issue 13, item 6): X-Forwarded-For is read only when
TRUSTED_PROXIES says who may set it, for allauth's rate limits and the audit log."""

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from krets.models import AuditEvent
from krets.net import client_ip

from .factories import PASSWORD

PROXY = "10.0.0.2"


def fail_logins(client_ip_header: str, times: int) -> None:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_ip_header)
    for number in range(times):
        # Different addresses each time: only the per-IP limit (10 a minute) can bite.
        client.post(
            reverse("account_login"), {"login": f"nobody{number}@example.org", "password": "x"}
        )


def log_in(forwarded_for: str, email: str):
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    return response, client


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(settings, person):
    settings.TRUSTED_PROXIES = PROXY
    user = person("medlem")
    fail_logins("198.51.100.7", 11)
    # The attacker's own address is locked out ...
    response, client = log_in("198.51.100.7", user.email)
    assert response.status_code in (200, 429)  # refused even with the right password
    assert "_auth_user_id" not in client.session
    # ... while a member coming through the same proxy signs in.
    response, client = log_in("203.0.113.9", user.email)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    failures = AuditEvent.objects.filter(action=AuditEvent.Action.LOGIN_FAILED)
    assert set(failures.values_list("ip", flat=True)) == {"198.51.100.7"}
    assert AuditEvent.objects.get(action=AuditEvent.Action.LOGIN).ip == "203.0.113.9"


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(settings, person):
    settings.TRUSTED_PROXIES = ""
    user = person("medlem")
    for number in range(11):
        fail_logins(f"198.51.100.{number}", 1)  # a new forged address every time
    response, client = log_in("203.0.113.9", user.email)
    assert response.status_code in (200, 429)  # all of it came from one peer: the limit holds
    assert "_auth_user_id" not in client.session
    ips = set(AuditEvent.objects.values_list("ip", flat=True))
    assert ips == {PROXY}


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        ("", "10.0.0.2", "1.2.3.4", "10.0.0.2"),
        ("1", "10.0.0.2", "1.2.3.4", "1.2.3.4"),
        ("1", "10.0.0.2", "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the client's own entry is ignored
        ("2", "10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        ("10.0.0.0/8", "10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9", "1.2.3.4"),
        ("10.0.0.0/8", "192.0.2.1", "1.2.3.4", "192.0.2.1"),  # not from the proxy: peer counts
        ("10.0.0.2", "10.0.0.2", "nonsense", "10.0.0.2"),
        ("10.0.0.2", "10.0.0.2", "[2001:db8::1]:443", "2001:db8::1"),
        ("10.0.0.2", "10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_ip_takes_the_right_most_untrusted_address(
    settings, trusted, remote, forwarded, expected
):
    settings.TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
