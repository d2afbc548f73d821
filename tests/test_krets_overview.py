"""The overview ("Översikt"): the kassör's dues panel, and few queries for every role."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from dues import services
from dues.overview import dues_overview
from members.models import BoardFunction
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for, queued_bank_entry
from tests.fixtures.goals import GoalFactory, TargetFactory
from tests.fixtures.meetings import MeetingFactory

from .conftest import ANONYMOUS, ROLES

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 5, 10)


@pytest.fixture
def busy_year():
    """Dues for the year (paid, part paid, overdue), bank credits, tasks, meetings, goals."""
    invoices = [invoice_for(MemberFactory(), year=TODAY.year) for _ in range(4)]
    services.payment_register(
        invoice=invoices[0], amount=Decimal("200.00"), paid_on=TODAY, method="swish"
    )
    services.payment_register(
        invoice=invoices[1], amount=Decimal("50.00"), paid_on=TODAY, method="swish"
    )
    queued_bank_entry()
    queued_bank_entry()
    for _ in range(3):
        MeetingFactory()
    TargetFactory(goal=GoalFactory(year=TODAY.year))
    return invoices


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC))
def test_dues_figures_for_the_kassor(busy_year):
    figures = dues_overview(year=TODAY.year, today=TODAY)

    assert figures["invoiced"] == Decimal("800.00")
    assert figures["paid"] == Decimal("250.00")
    assert figures["left"] == Decimal("550.00")
    # Due 31 March: the three not paid in full are overdue, 150 + 200 + 200 left on them.
    assert (figures["overdue_count"], figures["overdue"]) == (3, Decimal("550.00"))
    assert figures["to_match"] == 2


@time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC))
def test_the_kassor_sees_the_dues_panel_and_a_secretary_does_not(busy_year, client_as, client):
    html = client_as(BoardFunction.TREASURER).get(reverse("overview")).content.decode()
    assert 'data-testid="dues-panel"' in html
    assert "Medlemsavgifter 2026" in html
    assert "550,00 kr" in html and "Bankinbetalningar att matcha" in html

    client.logout()
    html = client_as(BoardFunction.SECRETARY).get(reverse("overview")).content.decode()
    assert 'data-testid="dues-panel"' not in html


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_the_overview_takes_at_most_15_queries(
    role, busy_year, client_as, django_assert_max_num_queries
):
    client = client_as(role)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("overview"))
    assert response.status_code == 200
