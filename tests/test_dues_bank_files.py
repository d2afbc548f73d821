"""Bank files as Swedish banks send them: camt.054 and camt.053, versions 001.02 to 001.08.

The files in tests/data/camt/ are written from the ISO 20022 message definitions (the schemas of
BankToCustomerDebitCreditNotificationV02–V08 and BankToCustomerStatementV02–V08) and from how
Bankgirot and the Swedish banks fill them: batches, single payments, OCR as structured or free
text, wrong OCRs, overpayments, duplicates, gifts, fees, returns and reversals.
"""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from dues import services
from dues.camt import BankFileError, read_bank_file
from dues.models import BankEntry, BankFile, DuesInvoice, DuesStatus, Payment
from dues.ocr import dues_ocr
from dues.selectors import dues_summary, invoices_with_status
from krets.errors import Invalid
from tests.factories import MemberFactory
from tests.fixtures.dues import invoice_for

DATA = Path(__file__).resolve().parent / "data" / "camt"
MEMBERS = range(2001, 2013)  # member numbers whose 2023 OCRs the files use; fee 250 kr


def _ocr(number: int) -> str:
    return dues_ocr(year=2023, member_number=number)


@pytest.fixture
def invoices(db) -> dict[int, DuesInvoice]:
    return {
        number: invoice_for(MemberFactory(member_number=number), amount="250.00")
        for number in MEMBERS
    }


def _paid(invoice: DuesInvoice) -> Decimal:
    return sum((p.amount for p in invoice.payments.all()), Decimal("0.00"))


# file: (paid per member number after import, booked, queued, reversed, already, refused)
SHAPES = {
    "camt054.001.02-bankgirot-batch.xml": (
        {2001: "250", 2002: "250", 2003: "250", 2004: "500", 2005: "100", 2006: "250"},
        6,
        2,
        0,
        0,
        0,
    ),
    "camt054.001.04-swedbank-prefixed.xml": (
        {2008: "250", 2009: "250", 2010: "200", 2011: "0"},
        4,
        0,
        1,
        0,
        0,
    ),
    "camt054.001.06-handelsbanken-duplicates.xml": ({2001: "250", 2002: "500"}, 3, 0, 0, 1, 3),
    "camt054.001.08-nordea-reversal.xml": ({2004: "250", 2005: "250", 2006: "0"}, 3, 0, 1, 0, 0),
    "camt053.001.02-seb-statement.xml": (
        {2007: "250", 2008: "125.50", 2009: "300", 2010: "250"},
        4,
        0,
        0,
        0,
        0,
    ),
    "camt053.001.04-swedbank-statement.xml": (
        {2011: "250", 2012: "250", 2001: "250"},
        3,
        1,
        0,
        0,
        0,
    ),
    "camt053.001.08-handelsbanken-return.xml": (
        {2002: "250", 2003: "0", 2004: "99.99"},
        3,
        0,
        1,
        0,
        0,
    ),
}


@pytest.mark.parametrize("name", SHAPES)
def test_each_shape_is_booked_to_the_ore_and_reimporting_books_nothing(invoices, name):
    paid, booked, queued, reversed_, already, refused = SHAPES[name]
    content = (DATA / name).read_bytes()

    result = services.bank_file_import(actor=None, name=name, content=content)

    assert (result.booked, result.queued, result.reversed, result.already) == (
        booked,
        queued,
        reversed_,
        already,
    )
    assert len(result.refused) == refused
    for number, invoice in invoices.items():
        assert _paid(invoice) == Decimal(paid.get(number, "0")), number
    # The year's paid sum is the money received against OCRs, less what went back.
    received = sum((e.amount for e in BankEntry.objects.exclude(payment=None)), Decimal("0.00"))
    assert dues_summary(year=2023)["paid"] == received == sum(Decimal(v) for v in paid.values())

    payments = list(Payment.objects.values_list("id", "amount"))
    again = services.bank_file_import(actor=None, name=name, content=content)
    assert (again.booked, again.queued, again.reversed) == (0, 0, 0)
    assert again.already == len(read_bank_file(content).credits)
    assert list(Payment.objects.values_list("id", "amount")) == payments


def test_a_deposit_of_five_payments_books_each_at_its_own_amount(invoices):
    """The failing case from the issue: 1 350 kr in one deposit was booked on each of five
    invoices (8 001 kr "paid" against 2 600 kr received)."""
    name = "camt054.001.02-bankgirot-batch.xml"
    services.bank_file_import(actor=None, name=name, content=(DATA / name).read_bytes())

    part = invoices_with_status(year=2023, today=datetime.date(2023, 4, 3)).get(
        pk=invoices[2005].pk
    )
    assert part.paid == Decimal("100.00") and part.amount - part.paid == Decimal("150.00")
    assert part.status_value == DuesStatus.OVERDUE  # due 31 March, 150 kr still owed
    assert dues_summary(year=2023)["paid"] == Decimal("1600.00")  # 1 350 + 250 by OCR
    queued = BankEntry.objects.filter(payment=None).order_by("amount")
    assert [(e.amount, e.reference) for e in queued] == [
        (Decimal("250.00"), _ocr(2007)[:-1] + "1"),  # a wrong check digit: never guessed
        (Decimal("500.00"), "Gåva till valrörelsen"),
    ]


def test_a_batch_that_does_not_add_up_refuses_the_whole_file(invoices, client_as):
    name = "camt054.001.02-batch-does-not-add-up.xml"
    with pytest.raises(BankFileError, match="INS-0002") as refused:
        services.bank_file_import(actor=None, name=name, content=(DATA / name).read_bytes())
    assert "1 100,00 kr" in str(refused.value) and "1 350,00 kr" in str(refused.value)
    assert not Payment.objects.exists() and not BankEntry.objects.exists()

    upload = io.BytesIO((DATA / name).read_bytes())
    upload.name = name
    response = client_as("kassor").post(reverse("dues:bank"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "inget är bokfört" in page and "INS-0002" in page
    assert not BankFile.objects.exists() and not Payment.objects.exists()


def test_entries_refused_on_their_own_are_named_on_the_page(invoices, client_as):
    name = "camt054.001.06-handelsbanken-duplicates.xml"
    upload = io.BytesIO((DATA / name).read_bytes())
    upload.name = name
    response = client_as("kassor").post(reverse("dues:bank"), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "3 bokförda, 0 att matcha för hand, 1 redan inlästa" in page
    assert "Post 5 (referens HB2305020000004) är i EUR" in page
    assert "Post 6 (referens HB2305020000005) är på 0 kr" in page
    assert "2 500 000,00 kr, orimligt mycket" in page


# --- What the parser refuses ------------------------------------------------------------------

ENTRY = """<Ntry><Amt Ccy="SEK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2023-04-03</Dt></BookgDt><AcctSvcrRef>R-1</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>R-1-1</AcctSvcrRef></Refs>
<RmtInf><Strd><CdtrRefInf><Ref>202300200120</Ref></CdtrRefInf></Strd></RmtInf>
</TxDtls></NtryDtls></Ntry>"""


def _file(namespace: str, *, kind: str = "camt.054", amount: str = "250.00") -> bytes:
    body, container = (
        ("BkToCstmrDbtCdtNtfctn", "Ntfctn") if kind == "camt.054" else ("BkToCstmrStmt", "Stmt")
    )
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document{xmlns}><{body}>'
        f"<GrpHdr><MsgId>M</MsgId><CreDtTm>2023-04-03T06:00:00</CreDtTm></GrpHdr>"
        f"<{container}><Id>1</Id><CreDtTm>2023-04-03T06:00:00</CreDtTm>"
        f"<Acct><Id><IBAN>SE3560000000000123456789</IBAN></Id></Acct>"
        f"{ENTRY.format(amount=amount)}</{container}></{body}></Document>"
    ).encode()


ISO = "urn:iso:std:iso:20022:tech:xsd:"


@pytest.mark.parametrize("kind", ["camt.054", "camt.053"])
@pytest.mark.parametrize("version", [2, 3, 4, 5, 6, 7, 8])
def test_every_version_from_02_to_08_is_read(kind, version):
    statement = read_bank_file(_file(f"{ISO}{kind}.001.0{version}", kind=kind))
    assert (statement.kind, statement.version) == (kind, f"001.0{version}")
    assert [(c.amount, c.reference) for c in statement.credits] == [
        (Decimal("250.00"), "202300200120")
    ]


@pytest.mark.parametrize(
    "namespace",
    [
        f"{ISO}camt.054.001.02x",
        f"{ISO}camt.054.001.02.1",
        f"{ISO}camt.052.001.02",
        f"{ISO}camt.054.001.01",
        f"{ISO}camt.054.001.09",
        f"{ISO}camt.053.001.10",
        f"x{ISO}camt.054.001.02",
        "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03",
        "http://example.org/camt.054.001.02",
        "",
    ],
)
def test_other_and_look_alike_namespaces_are_refused(namespace):
    with pytest.raises(BankFileError, match="inte en camt.054- eller camt.053-fil"):
        read_bank_file(_file(namespace))


def test_a_camt053_body_in_a_camt054_document_is_refused():
    content = _file(f"{ISO}camt.053.001.02", kind="camt.053").replace(b"camt.053", b"camt.054")
    with pytest.raises(BankFileError, match="saknar innehåll"):
        read_bank_file(content)


@pytest.mark.parametrize(
    "amount", ["-250.00", "NaN", "Infinity", "-Infinity", "250.001", "2.5E2", "", "250,00", "1 350"]
)
def test_an_amount_no_bank_would_send_refuses_the_file(amount):
    with pytest.raises(BankFileError, match="post 1 \\(referens R-1\\)"):
        read_bank_file(_file(f"{ISO}camt.054.001.02", amount=amount))


def test_trailing_zeros_beyond_two_decimals_are_the_same_amount():
    statement = read_bank_file(_file(f"{ISO}camt.054.001.04", amount="250.00000"))
    assert statement.credits[0].amount == Decimal("250.00")


def test_a_malformed_amount_is_a_message_on_the_page_not_an_error(client_as):
    upload = io.BytesIO(_file(f"{ISO}camt.054.001.02", amount="NaN"))
    upload.name = "nan.xml"
    response = client_as("kassor").post(reverse("dues:bank"), {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "inget är bokfört" in response.content.decode()
    assert not BankEntry.objects.exists()


# --- Returns and reversals --------------------------------------------------------------------


def test_a_return_reverses_the_payment_it_returns_not_another_of_the_same_amount(invoices):
    invoice = invoices[2011]
    services.payment_register(
        invoice=invoice, amount=Decimal("250"), paid_on=datetime.date(2023, 5, 1), method="swish"
    )
    name = "camt054.001.04-swedbank-prefixed.xml"
    result = services.bank_file_import(actor=None, name=name, content=(DATA / name).read_bytes())
    # The file's own 250 kr to this OCR is booked and then returned; the Swish payment stays.
    assert result.reversed == 1 and _paid(invoice) == Decimal("250.00")
    counter = Payment.objects.get(invoice=invoice, reverses__isnull=False)
    assert counter.reverses.method == "bankgiro" and counter.amount == Decimal("-250.00")
    assert counter.reason == "Återförd av banken (FOCR)"


def test_a_return_of_a_payment_we_never_booked_waits_in_the_queue(invoices, client_as):
    content = (DATA / "camt053.001.08-handelsbanken-return.xml").read_bytes()
    start = content.index(b"<h:Ntry>")
    end = content.index(b"<h:Ntry>", start + 1)
    only_return = content[:start] + content[end:]
    result = services.bank_file_import(actor=None, name="r.xml", content=only_return)
    assert (result.booked, result.reversed, result.queued) == (0, 0, 1)
    entry = BankEntry.objects.get()
    assert entry.amount == Decimal("-250.00") and entry.payment is None
    assert "-250,00 kr" in client_as("kassor").get(reverse("dues:bank")).content.decode()


def test_a_queued_return_reverses_the_chosen_invoices_payment(invoices, client_as):
    invoice = invoices[2003]
    bank_file = BankFile.objects.create(name="x.xml", kind="camt.054", sha256="0" * 64)
    entry = BankEntry.objects.create(
        file=bank_file,
        bank_ref="RET-1",
        booked_on=datetime.date(2023, 6, 1),
        amount=Decimal("-250.00"),
        reference="",
    )
    client = client_as("kassor")
    response = client.post(
        reverse("dues:bank_match", args=[entry.pk]), {"ocr": invoice.ocr}, follow=True
    )
    assert "ingen betalning på det beloppet" in response.content.decode()
    services.payment_register(
        invoice=invoice, amount=Decimal("250"), paid_on=datetime.date(2023, 5, 1), method="swish"
    )
    client.post(reverse("dues:bank_match", args=[entry.pk]), {"ocr": invoice.ocr})
    entry.refresh_from_db()
    assert entry.payment.reverses.invoice == invoice and _paid(invoice) == 0


def test_a_payment_is_reversed_once_and_never_deleted(invoices):
    invoice = invoices[2001]
    payment = services.payment_register(
        invoice=invoice, amount=Decimal("250"), paid_on=datetime.date(2023, 5, 1), method="swish"
    )
    counter = services.payment_reverse(
        payment=payment, reason="Fel avi", reversed_on=datetime.date(2023, 5, 2)
    )
    assert counter.amount == Decimal("-250.00") and _paid(invoice) == 0
    with pytest.raises(Invalid):
        services.payment_reverse(payment=payment, reason="igen", reversed_on=counter.paid_on)
    with pytest.raises(Invalid):
        services.payment_reverse(payment=counter, reason="igen", reversed_on=counter.paid_on)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(
            invoice=invoice, amount=Decimal("-1"), paid_on=counter.paid_on, method="swish"
        )


def test_the_page_of_imported_files_shows_who_what_and_counts(invoices, client_as):
    name = "camt054.001.06-handelsbanken-duplicates.xml"
    client = client_as("kassor")
    for _ in range(2):
        upload = SimpleUploadedFile(name, (DATA / name).read_bytes(), content_type="text/xml")
        client.post(reverse("dues:bank"), {"file": upload})
    first, again = BankFile.objects.order_by("id")
    page = client.get(reverse("dues:bank_files")).content.decode()
    assert page.count(name) == 2
    assert again.already == first.entries.count() + first.already and len(first.refused) == 3
    assert not again.entries.exists()  # re-importing booked nothing
    detail = client.get(reverse("dues:bank_file", args=[first.pk])).content.decode()
    booked = first.entries.filter(payment__isnull=False)
    assert booked.exists()
    for entry in booked:
        assert entry.payment.invoice.ocr in detail
