"""What issue 11's performance work changed, checked for behaviour: the dues list is keyset
paged and reaches every invoice exactly once however names tie; the statistics count people,
not invoices; a bank file's bookings written in bulk keep `paid_amount` equal to the payments;
the CSV PostgreSQL writes is byte for byte the row-by-row writer's; reminder selection is one
query. The timings are in bench/bench_dues.py."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dues import services
from dues.csv_export import csv_lines, csv_lines_from_database
from dues.models import DuesInvoice, DuesStatus, Payment
from dues.selectors import (
    dues_list_page,
    dues_statistics,
    export_rows,
    invoices_with_status,
    members_by_dues,
    reminder_steps_due,
)
from members.models import Member
from tests.factories import MemberFactory, UserFactory
from tests.fixtures.dues import fee_for, invoice_for

DAY = datetime.date(2023, 2, 1)


@pytest.fixture
def tied_names(db):
    """Eleven invoices whose members share three names among them: every page boundary below
    falls between members whose sort keys (last name, first name) are equal."""
    names = [("Ek", "Anna")] * 5 + [("Berg", "Bo")] * 4 + [("Åberg", "Cia")] * 2
    return [invoice_for(MemberFactory(last_name=last, first_name=first)) for last, first in names]


def _forward(invoices, per_page):
    seen, pages, after = [], 0, None
    while True:
        page = dues_list_page(invoices, after=after, per_page=per_page)
        seen += [invoice.pk for invoice in page]
        pages += 1
        if page.after is None:
            return seen, pages
        after = page.after


def test_keyset_pages_reach_every_invoice_once_in_order_across_equal_names(tied_names):
    invoices = invoices_with_status(year=2023).select_related("member")
    # The database's collation puts Å after B (sv) or elsewhere: compare with its own order.
    in_db = list(invoices.order_by("member__last_name", "member__first_name", "member_id"))
    expected = [i.pk for i in in_db]
    for per_page in (1, 2, 3, 4, 10, 11, 50):
        seen, pages = _forward(invoices, per_page)
        assert seen == expected, per_page
        assert pages == -(-len(expected) // per_page), per_page


def test_going_back_gives_the_pages_seen_going_forward(tied_names):
    invoices = invoices_with_status(year=2023).select_related("member")
    forward, after = [], None
    while True:
        page = dues_list_page(invoices, after=after, per_page=3)
        forward.append([i.pk for i in page])
        if page.after is None:
            break
        after = page.after
    backward = [forward[-1]]
    before = dues_list_page(invoices, after=after, per_page=3).before
    while before is not None:
        page = dues_list_page(invoices, before=before, per_page=3)
        backward.insert(0, [i.pk for i in page])
        before = page.before
    assert backward == forward
    first = dues_list_page(invoices, per_page=3)
    assert first.before is None and first.after is not None


def test_the_dues_list_pages_by_links_keeping_filter_and_search(client_as, tied_names, settings):
    import dues.selectors

    dues.selectors.DUES_PER_PAGE, saved = 2, dues.selectors.DUES_PER_PAGE
    try:
        client = client_as("kassor")
        url = reverse("dues:index") + "?ar=2023&status=obetald&q=Ek"
        seen = []
        while url:
            page = client.get(url).content.decode()
            seen += re.findall(r'href="/avgifter/avi/(\d+)/"', page)
            found = re.search(r'class="page-link" href="(\?[^"]*efter=\d+)" rel="next"', page)
            if found:
                link = found.group(1).replace("&amp;", "&")
                assert "status=obetald" in link and "q=Ek" in link and "ar=2023" in link
            url = reverse("dues:index") + link if found else None
        assert sorted(map(int, seen)) == sorted(i.pk for i in tied_names[:5])
        assert len(seen) == 5
        assert 'rel="prev"' in page and "Första sidan" in page
        # Switching year starts the other year's list at its beginning.
        assert "efter=" not in "".join(re.findall(r'href="\?ar=20\d\d[^"]*"', page))
    finally:
        dues.selectors.DUES_PER_PAGE = saved


def test_a_cursor_that_is_not_a_number_shows_the_first_page(client_as, tied_names):
    client = client_as("kassor")
    for value in ("x", "-1", "1e9", "99999999999999999999999"):
        response = client.get(reverse("dues:index"), {"ar": 2023, "efter": value})
        assert response.status_code == 200
        assert response.content.decode().count('href="/avgifter/avi/') == len(tied_names)


def test_the_dues_list_query_count_is_the_same_on_any_page(client_as, tied_names):
    import dues.selectors

    dues.selectors.DUES_PER_PAGE, saved = 2, dues.selectors.DUES_PER_PAGE
    try:
        client = client_as("kassor")
        base = reverse("dues:index") + "?ar=2023&status=alla"
        client.get(base)
        counts = []
        for url in (base, f"{base}&efter={tied_names[3].member_id}"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1]
    finally:
        dues.selectors.DUES_PER_PAGE = saved


@pytest.mark.django_db
def test_statistics_count_people_and_a_household_invoice_covers_each_member():
    from dues.models import Fee, FeeCategory

    kassor = UserFactory()
    for name, category, amount in [
        ("Ordinarie", FeeCategory.ORDINARY, "200"),
        ("Familj", FeeCategory.FAMILY, "300"),
    ]:
        Fee.objects.create(
            year=2023, name=name, category=category, amount=Decimal(amount), due_on=DAY
        )
    payer, partner, child = (MemberFactory(member_number=n) for n in (1, 2, 3))
    alone = MemberFactory(member_number=4)
    services.household_create(actor=kassor, name="Ek", payer=payer, members=[partner, child])
    assert services.invoices_create_by_category(actor=kassor, year=2023) == 2
    family = DuesInvoice.objects.get(household__isnull=False)

    stats = dues_statistics(year=2023)
    assert (stats["dues_count"], stats["dues_not_paid"]) == (4, 4)  # people, not 2 invoices
    unpaid = members_by_dues(Member.objects.all(), year=2023, status=DuesStatus.UNPAID)
    assert unpaid.count() == stats["dues_not_paid"]

    services.payment_register(invoice=family, amount=Decimal("300"), paid_on=DAY, method="swish")
    stats = dues_statistics(year=2023)
    assert (stats["dues_count"], stats["dues_not_paid"]) == (4, 1)
    assert stats["dues_share_not_paid"] == 0.25
    assert set(members_by_dues(Member.objects.all(), year=2023, status=DuesStatus.UNPAID)) == {
        alone
    }


def test_the_statistics_page_shows_people_not_paid(client_as):
    from dues.models import Fee, FeeCategory

    kassor = UserFactory()
    Fee.objects.create(
        year=2023, name="Familj", category=FeeCategory.FAMILY, amount=Decimal("300"), due_on=DAY
    )
    payer, partner = MemberFactory(member_number=1), MemberFactory(member_number=2)
    services.household_create(actor=kassor, name="Ek", payer=payer, members=[partner])
    services.invoices_create_by_category(actor=kassor, year=2023)
    page = client_as("ordforande").get(reverse("members:statistics"), {"ar": 2023})
    assert "2 av 2" in re.sub(r"\s+", " ", page.content.decode())


def _camt(transactions: list[tuple[str, str, str]], *, returns=()) -> bytes:
    """A camt.054.001.08 with one batch of (bank ref, OCR, amount) and debits returning
    (bank ref, OCR, amount)."""
    txs = "".join(
        f"<TxDtls><Refs><AcctSvcrRef>{ref}</AcctSvcrRef></Refs>"
        f'<Amt Ccy="SEK">{amount}</Amt>'
        f"<RmtInf><Strd><CdtrRefInf><Ref>{ocr}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
        for ref, ocr, amount in transactions
    )
    total = sum(Decimal(amount) for _, _, amount in transactions)
    debits = "".join(
        f'<Ntry><Amt Ccy="SEK">{amount}</Amt><CdtDbtInd>DBIT</CdtDbtInd><RvslInd>true</RvslInd>'
        f"<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2023-02-03</Dt></BookgDt>"
        f"<AcctSvcrRef>{ref}</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>{ref}-1"
        f'</AcctSvcrRef></Refs><Amt Ccy="SEK">{amount}</Amt><RmtInf><Strd><CdtrRefInf>'
        f"<Ref>{ocr}</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"
        for ref, ocr, amount in returns
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">'
        "<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>T1</MsgId><CreDtTm>2023-02-03T06:00:00</CreDtTm>"
        "</GrpHdr><Ntfctn><Id>T1</Id><CreDtTm>2023-02-03T06:00:00</CreDtTm>"
        "<Acct><Id><Othr><Id>50501055</Id></Othr></Id></Acct>"
        f'<Ntry><Amt Ccy="SEK">{total:.2f}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2023-02-02</Dt></BookgDt>"
        f"<AcctSvcrRef>BATCH-1</AcctSvcrRef><NtryDtls><Btch><NbOfTxs>{len(transactions)}"
        f"</NbOfTxs></Btch>{txs}</NtryDtls></Ntry>{debits}"
        "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


@pytest.mark.django_db
def test_a_batch_booked_in_bulk_keeps_paid_amount_equal_to_the_payments():
    a, b, c = (invoice_for(MemberFactory(), amount="250.00") for _ in range(3))
    content = _camt(
        [
            ("T-1", a.ocr, "100.00"),
            ("T-2", a.ocr, "150.00"),  # two payments on one invoice in one file
            ("T-3", b.ocr, "250.00"),
            ("T-4", c.ocr, "250.00"),
            ("T-5", "999999999999", "75.00"),  # no such OCR: queued
        ],
        returns=[("R-1", b.ocr, "250.00")],  # sends back T-3, booked earlier in the same file
    )
    result = services.bank_file_import(actor=None, name="batch.xml", content=content)
    assert (result.booked, result.queued, result.reversed) == (4, 1, 1)
    for invoice in (a, b, c):
        invoice.refresh_from_db()
        paid = Payment.objects.filter(invoice=invoice).aggregate(s=Sum("amount"))["s"]
        assert invoice.paid_amount == paid
    assert (a.paid_amount, b.paid_amount, c.paid_amount) == (
        Decimal("250.00"),
        Decimal("0.00"),
        Decimal("250.00"),
    )
    again = services.bank_file_import(actor=None, name="batch.xml", content=content)
    assert (again.booked, again.already) == (0, 6)
    a.refresh_from_db()
    assert a.paid_amount == Decimal("250.00")


@pytest.mark.django_db
def test_reminder_selection_is_one_query_and_asks_for_what_is_left():
    invoice = invoice_for(MemberFactory(), amount="250.00")
    services.payment_register(invoice=invoice, amount=Decimal("100"), paid_on=DAY, method="swish")
    invoice_for(MemberFactory(), amount="250.00", sent=False)
    paid = invoice_for(MemberFactory(), amount="250.00")
    services.payment_register(invoice=paid, amount=Decimal("250"), paid_on=DAY, method="swish")
    with CaptureQueriesContext(connection) as queries:
        due = reminder_steps_due(today=datetime.date(2023, 6, 1))
    assert len(queries) == 1
    assert due == [(invoice.pk, 1, Decimal("150.00"))]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database writer is PostgreSQL's")
def test_the_csv_written_by_postgresql_is_the_row_by_row_writers_byte_for_byte():
    kassor = UserFactory()
    fee_for(2023, "400.00", name="Familj")
    odd = [
        dict(first_name='=HYPERLINK("x")', last_name="Ärlig", phone="+4741234567"),
        dict(first_name="Åke", last_name="Ödlund", phone="0701234567", address=""),
        dict(first_name="Mia", last_name="Mobil", phone="+46701234567", email=""),
        dict(first_name="-Minus", last_name="Semi;kolon", phone="", postcode="", town=""),
        dict(first_name="Citat", last_name='"Ek"', phone="+46812345678", address="Väg 1, lgh 2"),
    ]
    invoices = [invoice_for(MemberFactory(**fields), amount="250.00") for fields in odd]
    services.payment_register(
        invoice=invoices[0], amount=Decimal("100"), paid_on=DAY, method="bankgiro"
    )
    services.payment_register(
        invoice=invoices[1], amount=Decimal("300"), paid_on=DAY, method="swish"
    )
    wrong = services.payment_register(
        invoice=invoices[2], amount=Decimal("250"), paid_on=DAY, method="swish"
    )
    services.payment_reverse(payment=wrong, reason="Fel", reversed_on=DAY)
    services.invoice_write_off(actor=kassor, invoice=invoices[3], reason="Avliden")
    payer = MemberFactory(first_name="Bo", last_name="Betalare")
    household = services.household_create(actor=kassor, name="B", payer=payer, members=[])
    family = invoice_for(payer, amount="400.00")
    DuesInvoice.objects.filter(pk=family.pk).update(household=household)
    for today in (datetime.date(2023, 3, 1), datetime.date(2023, 5, 1)):
        for status in ("", DuesStatus.PAID, DuesStatus.UNPAID, DuesStatus.OVERDUE):
            for dialect in ("excel", "rfc4180"):
                reference = "".join(
                    csv_lines(export_rows(year=2023, status=status, today=today), dialect=dialect)
                )
                fast = "".join(
                    csv_lines_from_database(
                        year=2023, status=status, dialect=dialect, today=today, chunk_size=2
                    )
                )
                assert fast == reference, (today, status, dialect)
                if not status:
                    assert reference.count("\r\n") == 7  # the header and six invoices


# Committed writes, as a request sees them: the versioned cache is bypassed while the test's own
# transaction holds uncommitted writes to the tables the figures read.
@pytest.mark.django_db(transaction=True)
def test_the_cached_year_figures_follow_every_dues_write(client_as, settings):
    client = client_as("kassor")
    invoice = invoice_for(MemberFactory(), amount="250.00")

    def figures():
        page = re.sub(r"\s+", " ", client.get(reverse("dues:index"), {"ar": 2023}).content.decode())
        return re.search(r"Att betala / betalt</dt><dd[^>]*>([^<]*)</dd>", page).group(1)

    assert figures() == "250,00 kr / 0,00 kr"
    assert figures() == "250,00 kr / 0,00 kr"  # the versioned cache learns, then keeps
    with CaptureQueriesContext(connection) as queries:
        assert figures() == "250,00 kr / 0,00 kr"
    if settings.KRETS_VERSIONED_CACHE:  # on with Redis, as in production: from the cache
        assert not any("SUM(" in q["sql"] for q in queries.captured_queries)
    payment = services.payment_register(
        invoice=invoice, amount=Decimal("100"), paid_on=DAY, method="swish"
    )
    assert figures() == "250,00 kr / 100,00 kr"
    services.payment_reverse(payment=payment, reason="Fel", reversed_on=DAY)
    assert figures() == "250,00 kr / 0,00 kr"
    services.invoice_credit(
        actor=UserFactory(), invoice=invoice, amount=Decimal("50"), reason="Rättelse"
    )
    assert figures() == "200,00 kr / 0,00 kr"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_jit_is_off_for_the_portals_connections():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
