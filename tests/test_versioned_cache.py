"""The versioned cache (krets/versioned.py, issue 14's load target): the overview's panels, the
rights, two-factor and page counts come from the cache, and a change shows on the very next
request, however it was written (a service, `.update()`, raw SQL). These tests commit for real
(transactional_db), as a server does."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.urls import reverse

from dues import services
from dues.models import DuesInvoice
from krets import versioned
from members.models import BoardAssignment, BoardFunction, Member
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for

from .conftest import make_person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _in_may_2026():
    with time_machine.travel(datetime.datetime(2026, 5, 10, 12, tzinfo=datetime.UTC)):
        yield


@pytest.fixture(autouse=True)
def _versioned_cache_on(settings):
    # On by default only with Redis (every process must share the versions); the local-memory
    # cache serves one process, which is all a test needs.
    settings.KRETS_VERSIONED_CACHE = True


def left_to_pay(client) -> str:
    html = client.get(reverse("overview")).content.decode()
    found = re.search(r"Kvar att betala</dt><dd[^>]*>([^<]*)<", html)
    assert found, "no dues panel"
    return found.group(1)


@pytest.fixture
def kassor(client):
    client.force_login(make_person(BoardFunction.TREASURER))
    return client


def test_a_payment_shows_on_the_overview_at_once(kassor, django_assert_max_num_queries):
    invoice = invoice_for(MemberFactory(), year=2026)
    assert left_to_pay(kassor) == "200,00 kr"  # learns which tables the panels read
    assert left_to_pay(kassor) == "200,00 kr"  # keeps them
    # The session (without Redis), the user and the panels that are not daily; no dues query.
    with django_assert_max_num_queries(6) as queries:
        assert left_to_pay(kassor) == "200,00 kr"
    assert not [q for q in queries.captured_queries if "duesinvoice" in q["sql"]]

    services.payment_register(
        invoice=invoice, amount=Decimal("50.00"), paid_on=datetime.date(2026, 5, 10), method="swish"
    )
    assert left_to_pay(kassor) == "150,00 kr"


def test_a_bulk_update_and_raw_sql_show_at_once(kassor):
    invoice = invoice_for(MemberFactory(), year=2026)
    assert left_to_pay(kassor) == "200,00 kr"

    DuesInvoice.objects.filter(pk=invoice.pk).update(amount=Decimal("300.00"))
    assert left_to_pay(kassor) == "300,00 kr"

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DuesInvoice._meta.db_table} SET amount = 120 WHERE id = %s", [invoice.pk]
        )
    assert left_to_pay(kassor) == "120,00 kr"


def test_a_rolled_back_change_never_shows(kassor):
    invoice = invoice_for(MemberFactory(), year=2026)
    assert left_to_pay(kassor) == "200,00 kr"
    with pytest.raises(RuntimeError), transaction.atomic():
        DuesInvoice.objects.filter(pk=invoice.pk).update(amount=Decimal("999.00"))
        # Inside the transaction the change is seen (and not kept for others)...
        assert versioned.cached("t", "", lambda: DuesInvoice.objects.get().amount) == 999
        raise RuntimeError
    # ...and after the rollback nobody sees it.
    assert left_to_pay(kassor) == "200,00 kr"
    assert versioned.cached("t", "", lambda: DuesInvoice.objects.get().amount) == 200


def test_a_new_board_function_opens_its_menu_at_once(client):
    user = make_person(BoardFunction.SECRETARY)
    client.force_login(user)
    assert 'href="/avgifter/"' not in client.get(reverse("overview")).content.decode()

    BoardAssignment.objects.create(member=user.member, function=BoardFunction.TREASURER, year=2026)
    assert 'href="/avgifter/"' in client.get(reverse("overview")).content.decode()
    assert client.get(reverse("dues:index")).status_code == 200

    BoardAssignment.objects.filter(member=user.member, function=BoardFunction.TREASURER).delete()
    assert client.get(reverse("dues:index")).status_code == 403


def test_removing_two_factor_asks_for_it_again_at_once(client):
    user = make_person(BoardFunction.TREASURER)
    client.force_login(user)
    assert client.get(reverse("overview")).status_code == 200

    user.authenticator_set.all().delete()
    response = client.get(reverse("overview"))
    assert response.status_code == 302 and response["Location"] == reverse("account")


def test_the_member_count_follows_a_new_member(client):
    client.force_login(make_person(BoardFunction.MEMBERSHIP))

    def count() -> int:
        html = client.get(reverse("members:list")).content.decode()
        return int(re.search(r"(\d+) person", html).group(1))

    before = count()
    assert count() == before
    MemberFactory()
    assert count() == before + 1
    Member.objects.filter(pk=Member.objects.order_by("-pk").first().pk).update(
        left_on=datetime.date(2026, 5, 1)
    )
    assert count() == before


def test_writes_are_seen_for_what_they_touch():
    assert versioned.written_tables('INSERT INTO "members_member" ("a") VALUES (1)') == {
        "members_member"
    }
    assert versioned.written_tables("UPDATE krets_delivery SET state = 1") == {"krets_delivery"}
    assert versioned.written_tables('DELETE FROM "dues_fee" WHERE 1') == {"dues_fee"}
    assert versioned.written_tables('SELECT * FROM "members_member"') == set()
    assert versioned.written_tables('TRUNCATE "a", "b" RESTART IDENTITY CASCADE;') == {"a", "b"}
