"""Signing in: two-factor for board accounts, rate limits, idle sessions, ended accounts."""

import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
)
from django.urls import reverse

from krets.models import AuditEvent

from .factories import PASSWORD, add_totp

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_board_account_without_two_factor_is_sent_to_set_it_up(client, person):
    user = person("medlemsansvarig", two_factor=False)
    log_in(client, user.email)
    response = client.get(reverse("overview"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account")
    page = client.get(reverse("account"))
    assert "Slå på tvåfaktorsinloggning" in page.content.decode()


def test_board_account_can_work_once_totp_is_set_up(client, person):
    user = person("ordforande", two_factor=False)
    log_in(client, user.email)
    assert client.get(reverse("audit_log")).status_code == 302

    # allauth asks for the password again before a second factor is added.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    response = client.get(reverse("audit_log"))
    assert response.status_code == 200
    assert "Logg över inloggningar" in response.content.decode()


def test_member_without_board_function_is_not_asked_for_two_factor(client, person):
    user = person("medlem")
    log_in(client, user.email)
    assert client.get(reverse("overview")).status_code == 200


def test_sign_in_with_totp_asks_for_the_code(client, person):
    user = person("kassor", two_factor=False)
    secret = add_totp(user).data["secret"]
    response = log_in(client, user.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("overview")).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("overview")).status_code == 200


def test_a_recovery_code_works_once(client, person):
    user = person("sekreterare", two_factor=False)
    add_totp(user)
    code = RecoveryCodes.activate(user).generate_codes()[0]

    log_in(client, user.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get(reverse("overview")).status_code == 200
    client.post(reverse("account_logout"))

    log_in(client, user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 200  # the form again, with an error
    assert client.get(reverse("overview")).status_code == 302


@pytest.mark.parametrize("login_url", ["/konton/login/", "/admin/login/"])
def test_repeated_failures_lock_out_even_the_right_password(client, person, login_url):
    user = person("ordforande")
    user.is_staff = user.is_superuser = True
    user.save()
    # The admin's own login page hands over to the portal's, with its limits.
    response = client.get(login_url)
    if login_url.startswith("/admin"):
        assert response.status_code == 302
        login_url = response["Location"]
        assert login_url.startswith(reverse("account_login"))
    for _ in range(5):
        response = client.post(login_url, {"login": user.email, "password": "fel-losenord"})
        assert response.status_code == 200
    response = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert response.status_code in (200, 429)  # refused, not sent on to the second factor
    assert client.get(reverse("overview")).status_code == 302
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="login_failed", actor_label=user.email).count() == 5


def test_admin_needs_staff_and_two_factor(client, person):
    user = person("ordforande", two_factor=False)
    user.is_staff = user.is_superuser = True
    user.save()
    log_in(client, user.email)
    assert client.get("/admin/").status_code == 302  # two-factor first
    add_totp(user)
    assert client.get("/admin/").status_code == 200
    plain = person("kassor")
    client.force_login(plain)
    assert client.get("/admin/").status_code == 302  # not staff: to the admin's login


def test_idle_session_expires(client, person, settings):
    user = person("ledamot")
    with time_machine.travel("2026-03-01 10:00:00+01:00", tick=False) as clock:
        log_in(client, user.email)
        client.force_login(user)
        assert client.get(reverse("overview")).status_code == 200
        clock.shift(settings.SESSION_COOKIE_AGE - 60)
        assert client.get(reverse("overview")).status_code == 200  # activity renews it
        clock.shift(settings.SESSION_COOKIE_AGE + 60)
        assert client.get(reverse("overview")).status_code == 302


def test_deactivating_an_account_ends_its_sessions(client, person):
    from django.test import Client

    chair = person("ordforande")
    treasurer = person("kassor")
    their_browser = Client()
    their_browser.force_login(treasurer)
    assert their_browser.get(reverse("overview")).status_code == 200

    client.force_login(chair)
    response = client.post(reverse("members:account_deactivate", args=[treasurer.pk]))
    assert response.status_code == 302
    assert their_browser.get(reverse("overview")).status_code == 302
    fresh = Client()
    assert log_in(fresh, treasurer.email)["Location"] == reverse("account_inactive")
    assert fresh.get(reverse("overview")).status_code == 302
    treasurer.refresh_from_db()
    assert not treasurer.is_active
    assert AuditEvent.objects.filter(action="account_deactivated", target=treasurer.email).exists()
