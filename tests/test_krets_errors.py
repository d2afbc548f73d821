"""The error pages are Swedish, in the portal's layout, and say what a person can do next."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from members.models import BoardFunction
from tests.factories import BoardAssignmentFactory, MemberFactory

pytestmark = pytest.mark.django_db


def test_403_names_the_missing_right_and_who_holds_it(client_as):
    treasurer = MemberFactory(first_name="Karin", last_name="Kassa")
    BoardAssignmentFactory(member=treasurer, function=BoardFunction.TREASURER)
    client = client_as(BoardFunction.SECRETARY)

    response = client.get(reverse("dues:index"))

    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Du har inte behörighet till den här sidan" in html
    assert "se medlemsavgifter och betalningar" in html
    assert "Kassör: Karin Kassa" in html
    assert "Ordförande" in html
    assert 'aria-label="Huvudmeny"' in html  # the portal's layout, with its menu


def test_404_is_swedish_in_the_portal_layout(client_as):
    response = client_as(BoardFunction.CHAIR).get("/finns-inte/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Sidan finns inte" in html
    assert "Till översikten" in html
    assert "Not Found" not in html


def test_500_shows_a_reference_and_no_trace_and_logs_both(settings, caplog, person):
    settings.ROOT_URLCONF = "tests.urls_failing"
    client = Client(raise_request_exception=False)
    client.force_login(person("medlem"))

    with caplog.at_level(logging.ERROR, logger="krets.error_pages"):
        response = client.get("/fel/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Något gick fel hos oss" in html
    assert "secret detail" not in html and "Traceback" not in html
    reference = html.split('data-testid="error-reference">')[1].split("<")[0]
    assert len(reference) == 8
    logged = [r for r in caplog.records if reference in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_csrf_failure_is_swedish(person):
    client = Client(enforce_csrf_checks=True)
    client.force_login(person(BoardFunction.CHAIR))

    response = client.post(reverse("members:board_invite"), {"email": "x@example.org"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "Formuläret kunde inte skickas" in html
    assert "ladda om sidan" in html
    assert "CSRF cookie" not in html and "Forbidden" not in html


def test_rate_limit_page_is_swedish(settings, client):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "1/m/ip"}
    url = reverse("account_login")
    for _ in range(3):
        response = client.post(url, {"login": "nobody@example.org", "password": "fel"})

    assert response.status_code == 429
    html = response.content.decode()
    assert "För många försök" in html
    assert '<html lang="sv">' in html
