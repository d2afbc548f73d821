"""Dues: OCR, status, Swish QR, the kassör's CSV, bank files."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dues import services
from dues.camt import BankFileError, parse_bank_file
from dues.models import BankEntry, DuesStatus, Payment
from dues.ocr import dues_ocr, luhn_digit, ocr_is_valid, ocr_make
from dues.selectors import dues_summary, invoices_with_status
from dues.swish import swish_payload
from krets.models import AuditEvent
from krets.spreadsheet import neutralise
from tests.factories import MemberFactory
from tests.fixtures.dues import SAMPLES, invoice_for


def test_ocr_has_length_and_luhn_check_digit():
    assert luhn_digit("7992739871") == "3"  # the textbook Luhn example
    assert ocr_make("12345") == "1234574"  # length digit 7; Luhn over 123457 gives 4
    ocr = dues_ocr(year=2023, member_number=42)
    assert len(ocr) == 12 and ocr.startswith("2023000042") and ocr_is_valid(ocr)
    assert not ocr_is_valid(ocr[:-1] + str((int(ocr[-1]) + 1) % 10))
    assert not ocr_is_valid(ocr + "0")


def test_swish_payload_follows_the_specification():
    payload = swish_payload(number="123 456 78 90", amount=Decimal("250"), message="2023 00")
    assert payload == "C1234567890;250,00;2023%2000;0"


@pytest.mark.django_db
def test_part_payments_add_up_and_status_is_derived():
    member = MemberFactory()
    invoice = invoice_for(member, amount="300.00")
    before_due, after_due = datetime.date(2023, 3, 1), datetime.date(2023, 5, 1)

    def status(today):
        return invoices_with_status(year=2023, today=today).get(pk=invoice.pk).status_value

    assert status(before_due) == DuesStatus.UNPAID
    assert status(after_due) == DuesStatus.OVERDUE
    services.payment_register(
        invoice=invoice, amount=Decimal("100"), paid_on=before_due, method="swish"
    )
    assert status(before_due) == DuesStatus.PART_PAID
    services.payment_register(
        invoice=invoice, amount=Decimal("200"), paid_on=before_due, method="kontant"
    )
    assert status(after_due) == DuesStatus.PAID


@pytest.fixture
def export_data(db):
    paid = invoice_for(
        MemberFactory(first_name="Åke", last_name="Ödlund", address="Storgatan 1"), amount="1234.50"
    )
    services.payment_register(
        invoice=paid, amount=Decimal("1234.50"), paid_on=datetime.date(2023, 2, 1), method="swish"
    )
    part = invoice_for(
        MemberFactory(first_name='=HYPERLINK("x")', last_name="Ärlig", phone="+46701234567")
    )
    services.payment_register(
        invoice=part, amount=Decimal("50"), paid_on=datetime.date(2023, 2, 2), method="bankgiro"
    )
    invoice_for(MemberFactory(first_name="-2+3", last_name="Ingen"))
    return paid, part


def _csv(client, fmt, status):
    response = client.get(reverse("dues:export"), {"ar": 2023, "status": status, "format": fmt})
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("status", "rows"), [("alla", 3), ("betald", 1), ("obetald", 2), ("forfallen", 2)]
)
def test_excel_csv_parses_back_with_bom_semicolons_and_decimal_comma(
    client_as, export_data, status, rows
):
    client = client_as("kassor")
    raw = _csv(client, "excel", status)
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert table[0][:3] == ["Namn", "Medlemsnummer", "Adress"]
    assert len(table) - 1 == rows
    event = AuditEvent.objects.filter(action="members_exported").latest("id")
    assert event.target == "avgifter:2023"
    assert event.detail == {
        "read": "dues_export",
        "filter": ["ar", "format", "status"],
        "rows": rows,
    }
    if status == "alla":
        by_name = {row[0]: row for row in table[1:]}
        assert by_name["Åke Ödlund"][5:8] == ["1234,50", "1234,50", "0,00"]
        assert by_name["Åke Ödlund"][8:11] == ["Betald", "2023-02-01", "Swish"]
        assert '\'=HYPERLINK("x") Ärlig' in by_name
        assert "'-2+3 Ingen" in by_name


def test_rfc4180_csv_parses_back_with_commas_and_points(client_as, export_data):
    raw = _csv(client_as("ordforande"), "rfc4180", "obetald")
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    table = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    assert len(table) == 3
    part = next(row for row in table if "Ärlig" in row[0])
    assert part[5:7] == ["200.00", "50.00"]
    assert part[4] == "'+46701234567"  # a leading + would start a formula


def test_neutralise_covers_every_formula_start():
    for start in ["=", "+", "-", "@", "\t", "\r"]:
        assert neutralise(f"{start}1").startswith("'")
    assert neutralise("Åsa") == "Åsa"


def test_export_refuses_unknown_filter(client_as):
    response = client_as("kassor").get(reverse("dues:export"), {"status": "x", "format": "excel"})
    assert response.status_code == 400


# --- Bank files ----------------------------------------------------------------------------


def _sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_camt054_sample_is_read():
    kind, credits = parse_bank_file(_sample("camt054-demo-2023.xml"))
    assert kind == "camt.054" and len(credits) == 10
    assert credits[0].amount == Decimal("250.00") and credits[0].booked_on == datetime.date(
        2023, 4, 3
    )
    assert credits[0].reference == dues_ocr(year=2023, member_number=1001)


@pytest.mark.parametrize("name", ["malformed.xml", "foreign.xml", "xxe.xml"])
def test_malformed_foreign_or_entity_files_are_refused(name):
    with pytest.raises(BankFileError):
        parse_bank_file(_sample(name))


@pytest.mark.parametrize("sample", ["camt054-demo-2023.xml", "camt053-demo-2023.xml"])
def test_bank_file_books_matches_queues_the_rest_and_twice_books_nothing_twice(client_as, sample):
    invoices = [
        invoice_for(MemberFactory(member_number=1000 + i), amount="250.00") for i in range(1, 4)
    ]
    client = client_as("kassor")
    upload = io.BytesIO(_sample(sample))
    upload.name = sample
    response = client.post(reverse("dues:bank"), {"file": upload}, follow=True)
    assert "3 bokförda, 7 att matcha för hand, 0 redan inlästa" in response.content.decode()
    assert Payment.objects.count() == 3
    assert all(invoice.payments.get().amount == Decimal("250.00") for invoice in invoices)
    upload.seek(0)
    response = client.post(reverse("dues:bank"), {"file": upload}, follow=True)
    assert "0 bokförda, 0 att matcha för hand, 10 redan inlästa" in response.content.decode()
    assert Payment.objects.count() == 3 and BankEntry.objects.count() == 10


def test_malformed_upload_books_nothing_and_says_why(client_as):
    client = client_as("kassor")
    upload = io.BytesIO(_sample("foreign.xml"))
    upload.name = "foreign.xml"
    response = client.post(reverse("dues:bank"), {"file": upload}, follow=True)
    assert "inget är bokfört" in response.content.decode()
    assert not BankEntry.objects.exists()


def test_queued_credit_is_booked_by_hand(client_as):
    invoice = invoice_for(MemberFactory(member_number=1009), amount="250.00")
    services.bank_file_import(actor=None, name="x.xml", content=_sample("camt054-demo-2023.xml"))
    entry = BankEntry.objects.get(bank_ref="SANDV-2023-9001-1")
    client = client_as("kassor")
    client.post(reverse("dues:bank_match", args=[entry.pk]), {"ocr": invoice.ocr})
    entry.refresh_from_db()
    assert entry.payment.invoice == invoice


def test_credit_that_is_not_dues_leaves_the_queue_but_is_kept(client_as):
    services.bank_file_import(actor=None, name="x.xml", content=_sample("camt054-demo-2023.xml"))
    entry = BankEntry.objects.get(bank_ref="SANDV-2023-9001-1")
    client = client_as("kassor")
    assert "Okänd Betalare" in client.get(reverse("dues:bank")).content.decode()
    client.post(reverse("dues:bank_dismiss", args=[entry.pk]))
    assert "Okänd Betalare" not in client.get(reverse("dues:bank")).content.decode()
    assert BankEntry.objects.filter(pk=entry.pk, dismissed=True).exists()


def test_invoice_page_shows_swish_qr(client_as, member_with_invoice):
    _, invoice = member_with_invoice
    content = client_as("kassor").get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    assert 'data-testid="swish-qr"' in content and "<svg" in content


def test_dues_summary_counts_each_status_once(db):
    today = datetime.date(2023, 3, 15)  # before the due date 31 March
    paid, part, unpaid = (invoice_for(MemberFactory()) for _ in range(3))
    services.payment_register(invoice=paid, amount=Decimal("200"), paid_on=today, method="swish")
    services.payment_register(invoice=part, amount=Decimal("50"), paid_on=today, method="swish")
    summary = dues_summary(year=2023, today=today)
    assert (summary["n_betald"], summary["n_delbetald"], summary["n_obetald"]) == (1, 1, 1)
    assert summary["n_forfallen"] == 0 and summary["count"] == 3
    assert summary["due"] == Decimal("600") and summary["paid"] == Decimal("250")
    later = dues_summary(year=2023, today=datetime.date(2023, 4, 1))
    assert (later["n_betald"], later["n_forfallen"]) == (1, 2)


@pytest.mark.parametrize("status", ["alla", "obetald"])
def test_dues_list_query_count_does_not_grow_with_rows(client_as, status):
    client = client_as("kassor")
    invoice_for(MemberFactory())
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("dues:index"), {"ar": 2023, "status": status})
    for _ in range(30):
        invoice_for(MemberFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("dues:index"), {"ar": 2023, "status": status})
    assert response.status_code == 200
    assert len(many) == len(few) <= 16
