"""Issue 11 as its author tried it through the pages (review11): what the kassör's buttons do,
not only what the services can do when called the right way."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dues import services
from dues.models import DuesInvoice, Fee, FeeCategory
from dues.ocr import dues_ocr
from krets.templatetags.krets_format import sv_date
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.usefixtures("tasks_in_process")

# The pages run on today's date (a kassör's board term is dated), so the year is this one and
# the fee's due date lies ten days back.
TODAY = datetime.date.today()
YEAR = TODAY.year
DUE = TODAY - datetime.timedelta(days=10)


def at(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(9)), tick=False)


@pytest.mark.django_db
def test_the_kassors_create_button_gives_a_late_joiner_a_due_date_and_no_reminder_the_next_day(
    client_as, django_capture_on_commit_callbacks, settings
):
    """In the issue: "a member who joined today got Påminnelse the same day". Through the
    fees page's button the new member's invoice had the year's due date (31 March), so the
    job the morning after the invoice went out sent a reminder."""
    settings.DUES_NEW_MEMBER_DAYS = 30
    fee = Fee.objects.create(
        year=YEAR, name="Ordinarie", category=FeeCategory.ORDINARY, amount=200, due_on=DUE
    )
    new = MemberFactory(email="ny@example.org", joined_on=TODAY, member_number=7001)
    client = client_as("kassor")
    client.post(reverse("dues:invoices_create", args=[fee.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("dues:invoices_send") + f"?ar={YEAR}")
    invoice = DuesInvoice.objects.get(member=new)
    assert invoice.due_on == TODAY + datetime.timedelta(days=30)
    subjects = [f"Medlemsavgift {YEAR}: din avi"]
    assert [m.subject for m in mail.outbox if m.to == ["ny@example.org"]] == subjects
    [sent] = [m for m in mail.outbox if m.to == ["ny@example.org"]]
    assert sv_date(invoice.due_on) in sent.body
    for day in (TODAY + datetime.timedelta(days=1), TODAY + datetime.timedelta(days=30)):
        with at(day), django_capture_on_commit_callbacks(execute=True):
            services.dues_reminders_run(year=YEAR)
    assert [m.subject for m in mail.outbox if m.to == ["ny@example.org"]] == subjects


@pytest.mark.django_db
def test_the_kassors_create_button_invoices_a_household_once_and_each_member_their_category(
    client_as,
):
    """The fees page had one button per fee that gave every member that fee: household
    members got an ordinary fee each besides the household's family fee."""
    fees = {
        category: Fee.objects.create(
            year=YEAR, name=name, category=category, amount=Decimal(amount), due_on=DUE
        )
        for name, category, amount in [
            ("Ordinarie", FeeCategory.ORDINARY, "200"),
            ("Ungdom", FeeCategory.YOUTH, "50"),
            ("Familj", FeeCategory.FAMILY, "300"),
        ]
    }
    kassor = UserFactory()
    anna, bo = MemberFactory(member_number=7101), MemberFactory(member_number=7102)
    young, alone = MemberFactory(member_number=7103), MemberFactory(member_number=7104)
    services.member_category_set(actor=kassor, member=young, category=FeeCategory.YOUTH)
    household = services.household_create(actor=kassor, name="Ek", payer=anna, members=[bo])
    client = client_as("kassor")
    page = client.get(reverse("dues:fees")).content.decode()
    assert page.count(f"Skapa avier {YEAR}") == 1  # one button for the year, not one per fee
    client.post(reverse("dues:invoices_create", args=[fees[FeeCategory.ORDINARY].pk]))
    assert not DuesInvoice.objects.filter(member=bo).exists()
    family = DuesInvoice.objects.get(member=anna)
    assert (family.household, family.amount) == (household, Decimal("300.00"))
    assert DuesInvoice.objects.get(member=young).amount == Decimal("50.00")
    assert DuesInvoice.objects.get(member=alone).amount == Decimal("200.00")


@pytest.mark.django_db
def test_a_bank_credit_matched_or_dismissed_by_hand_is_in_the_audit_log(client_as):
    """Item 6: payments are audited. A file's bookings were, in the file's entry; a credit the
    kassör matched to an invoice by hand, or took off the queue, left no trace of who did it."""
    from dues.models import Payment
    from krets.models import AuditEvent
    from tests.fixtures.dues import invoice_for, queued_bank_entry

    invoice = invoice_for(MemberFactory(), year=YEAR)
    matched, gift = queued_bank_entry(), queued_bank_entry()
    client = client_as("kassor")
    client.post(reverse("dues:bank_match", args=[matched.pk]), {"ocr": invoice.ocr})
    client.post(reverse("dues:bank_dismiss", args=[gift.pk]))
    client.post(reverse("dues:bank_dismiss", args=[gift.pk]))  # twice: one entry
    payment = Payment.objects.get(invoice=invoice)
    events = {
        e.detail["code"]: e
        for e in AuditEvent.objects.filter(action="dues_changed").select_related("actor")
    }
    assert events["bank_entry_matched"].target == f"avi:{invoice.pk}"
    assert events["bank_entry_matched"].detail["payment"] == str(payment.pk)
    assert events["bank_entry_matched"].detail["amount"] == "200.00"
    assert events["bank_entry_dismissed"].target == f"bankpost:{gift.pk}"
    for code in ("bank_entry_matched", "bank_entry_dismissed"):
        assert events[code].actor is not None  # the kassör, not a job
    codes = [e.detail["code"] for e in AuditEvent.objects.filter(action="dues_changed")]
    assert codes.count("bank_entry_dismissed") == 1


def invoice_for_year(number: int, year: int = 2023) -> DuesInvoice:
    from tests.fixtures.dues import invoice_for

    return invoice_for(MemberFactory(member_number=number), year=year, amount="250.00")


def _two_batches(counts: tuple[str, str]) -> bytes:
    """A camt.054.001.04 entry of 1 000 kr holding two batches (two NtryDtls, as ISO 20022
    allows: NtryDtls repeats): 250 + 250 kr, then 100 + 150 + 250 kr."""
    amounts = (("250.00", "250.00"), ("100.00", "150.00", "250.00"))
    details, number = "", 3001
    for stated, batch in zip(counts, amounts, strict=True):
        txs = ""
        for amount in batch:
            ocr = dues_ocr(year=2023, member_number=number)
            txs += (
                f"<TxDtls><Refs><AcctSvcrRef>TWO-{number}</AcctSvcrRef></Refs>"
                f'<Amt Ccy="SEK">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
                f"<RmtInf><Strd><CdtrRefInf><Ref>{ocr}</Ref></CdtrRefInf></Strd></RmtInf>"
                "</TxDtls>"
            )
            number += 1
        details += f"<NtryDtls><Btch><NbOfTxs>{stated}</NbOfTxs></Btch>{txs}</NtryDtls>"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04">'
        "<BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>TWO</MsgId>"
        "<CreDtTm>2023-04-03T06:00:00</CreDtTm></GrpHdr>"
        "<Ntfctn><Id>TWO-1</Id><CreDtTm>2023-04-03T06:00:00</CreDtTm>"
        "<Acct><Id><Othr><Id>50501055</Id></Othr></Id><Ccy>SEK</Ccy></Acct>"
        '<Ntry><NtryRef>TWO-E1</NtryRef><Amt Ccy="SEK">1000.00</Amt>'
        "<CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2023-04-03</Dt></BookgDt>"
        f"{details}</Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>"
    ).encode()


@pytest.mark.django_db
def test_an_entry_of_two_batches_books_each_payment_and_checks_each_batchs_count():
    """Each batch's NbOfTxs was compared with every transaction of the entry, so an entry
    of two batches (2 and 3 payments) was refused as "2 betalningar men filen innehåller 5"."""
    from dues.camt import BankFileError
    from tests.fixtures.dues import invoice_for

    invoices = [
        invoice_for(MemberFactory(member_number=n), amount="250.00") for n in range(3001, 3006)
    ]
    result = services.bank_file_import(actor=None, name="two.xml", content=_two_batches(("2", "3")))
    assert (result.booked, result.queued) == (5, 0)
    paid = [DuesInvoice.objects.get(pk=i.pk).paid_amount for i in invoices]
    assert paid == [Decimal(a) for a in ("250.00", "250.00", "100.00", "150.00", "250.00")]
    with pytest.raises(BankFileError, match="anger banken 3 betalningar men filen innehåller 2"):
        services.bank_file_import(actor=None, name="bad.xml", content=_two_batches(("3", "3")))


@pytest.mark.django_db
def test_a_household_member_sees_on_mina_uppgifter_that_the_household_paid(client):
    """Item 5: every household member shows as paid when it is paid. The kassör's member
    page and the registry filter did; the member's own page said "Inga avgifter."."""
    from members.tokens import SELF_SERVICE, member_token

    kassor = UserFactory()
    Fee.objects.create(
        year=YEAR, name="Familj", category=FeeCategory.FAMILY, amount=Decimal("300"), due_on=DUE
    )
    anna, bo = MemberFactory(member_number=7201), MemberFactory(member_number=7202)
    services.household_create(actor=kassor, name="Hushållet Ek", payer=anna, members=[bo])
    services.invoices_create_by_category(actor=kassor, year=YEAR)
    family = DuesInvoice.objects.get(member=anna)
    url = reverse("members:self_service", args=[member_token(bo.pk, SELF_SERVICE)])
    page = client.get(url).content.decode()
    assert "Inga avgifter." not in page
    assert f"{YEAR}: Förfallen" in page and "Hushållet Ek" in page and "300,00 kr" in page
    assert family.ocr not in page  # the payer's invoice: the payer pays it
    services.payment_register(invoice=family, amount=Decimal("300"), paid_on=DUE, method="swish")
    assert f"{YEAR}: Betald" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_bank_file_dated_in_the_future_is_refused_with_a_message_not_a_500(client_as):
    """Item 6 refuses payment dates in the future; a bank file booking one reached
    payment_register's refusal inside the import, which the page did not catch: a 500."""
    from dues.models import BankEntry

    invoice = invoice_for_year(3101)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    content = _two_batches(("2", "3")).replace(b"2023-04-03</Dt>", f"{tomorrow}</Dt>".encode())
    upload = SimpleUploadedFile("framtid.xml", content, content_type="text/xml")
    response = client_as("kassor").post(reverse("dues:bank"), {"file": upload}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "inget är bokfört" in page and "i framtiden" in page and tomorrow in page
    assert not BankEntry.objects.exists()
    assert DuesInvoice.objects.get(pk=invoice.pk).paid_amount == 0


@pytest.mark.django_db
def test_the_kassor_finds_every_overpayment_to_settle_on_one_page(client_as):
    """Item 6: overpayments are flagged. Only the invoice page flagged one, and the dues list
    calls an overpaid invoice "Betald": the kassör had no way to find them but opening each."""
    over = invoice_for_year(3201)
    exact = invoice_for_year(3202)
    settled = invoice_for_year(3203)
    kassor = UserFactory()
    for invoice, amount in ((over, "400"), (exact, "250"), (settled, "300")):
        services.payment_register(
            invoice=invoice,
            amount=Decimal(amount),
            paid_on=datetime.date(2023, 4, 1),
            method="swish",
        )
    services.invoice_overpayment_settle(actor=kassor, invoice=settled, how="gava")
    client = client_as("kassor")
    assert reverse("dues:overpayments") in client.get(reverse("dues:bank")).content.decode()
    page = client.get(reverse("dues:overpayments")).content.decode()
    assert over.member.last_name in page and "150,00 kr" in page
    assert reverse("dues:invoice", args=[over.pk]) in page
    for other in (exact, settled):
        assert reverse("dues:invoice", args=[other.pk]) not in page
    client.post(reverse("dues:invoice_overpayment", args=[over.pk]), {"how": "aterbetald"})
    page = client.get(reverse("dues:overpayments")).content.decode()
    assert "Inga överbetalningar att hantera." in page


@pytest.mark.django_db
def test_a_household_whose_payer_was_invoiced_alone_leaves_no_member_without_an_invoice():
    """The payer had their own invoice from before the household: the family invoice was
    dropped by the unique (member, year) constraint, and the other members were skipped as
    household members, so they had no invoice at all."""
    from tests.fixtures.dues import invoice_for

    Fee.objects.create(
        year=2023,
        name="Ordinarie",
        category=FeeCategory.ORDINARY,
        amount=200,
        due_on=datetime.date(2023, 3, 31),
    )
    Fee.objects.create(
        year=2023,
        name="Familj",
        category=FeeCategory.FAMILY,
        amount=300,
        due_on=datetime.date(2023, 3, 31),
    )
    kassor = UserFactory()
    anna, bo = MemberFactory(member_number=7301), MemberFactory(member_number=7302)
    own = invoice_for(anna, year=2023, amount="200.00")
    services.household_create(actor=kassor, name="Ek", payer=anna, members=[bo])
    services.invoices_create_by_category(actor=kassor, year=2023)
    assert DuesInvoice.objects.get(member=anna) == own
    assert DuesInvoice.objects.get(member=bo).amount == Decimal("200.00")


@pytest.mark.django_db
def test_a_households_invoice_names_whom_the_family_fee_covers(
    client_as, django_capture_on_commit_callbacks
):
    """The payer got "Här är din avi" for 300 kr with nothing saying it is the household's."""
    from django.template.loader import render_to_string

    from dues.selectors import invoice_print_context

    Fee.objects.create(
        year=YEAR, name="Familj", category=FeeCategory.FAMILY, amount=Decimal("300"), due_on=DUE
    )
    kassor = UserFactory()
    anna = MemberFactory(member_number=7401, first_name="Anna", email="anna@example.org")
    bo = MemberFactory(member_number=7402, first_name="Bo")
    services.household_create(actor=kassor, name="Hushållet Ek", payer=anna, members=[bo])
    services.invoices_create_by_category(actor=kassor, year=YEAR)
    invoice = DuesInvoice.objects.get(member=anna)
    with django_capture_on_commit_callbacks(execute=True):
        services.invoice_send(actor=kassor, invoice=invoice)
    [sent] = mail.outbox
    for text in (sent.body, sent.alternatives[0][0]):
        assert "Hushållet Eks familjeavgift" in text and bo.full_name in text
    # The PDF avi is this HTML through WeasyPrint (views.invoice_pdf).
    paper = render_to_string("dues/invoice_pdf.html", invoice_print_context(invoice))
    assert "Hushållet Eks familjeavgift" in paper and bo.full_name in paper
    pdf = client_as("kassor").get(reverse("dues:invoice_pdf", args=[invoice.pk]))
    assert pdf.content[:4] == b"%PDF"


@pytest.mark.django_db
def test_the_invoice_page_shows_which_reminders_went_out_and_when(
    client_as, django_capture_on_commit_callbacks
):
    """Item 3: the kassör sees who was sent what and when. The invoice page showed the
    invoice's sending but not its reminders (only the member page listed them)."""
    from tests.fixtures.dues import invoice_for

    invoice = invoice_for(MemberFactory(email="sen@example.org"), year=2023)
    with at(datetime.date(2023, 5, 1)), django_capture_on_commit_callbacks(execute=True):
        services.dues_reminders_run(year=2023)
    client = client_as("kassor")
    page = client.get(reverse("dues:invoice", args=[invoice.pk])).content.decode()
    reminders = page.split('data-testid="reminders">', 1)[1].split("</dd>", 1)[0]
    assert "Påminnelse 1: 1 maj 2023" in reminders and "skickad" in reminders
